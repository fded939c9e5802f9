/**
 * A reserved connection that knows when it is lost: once a connection failure is seen (or the
 * driver reports the close), statements fail at once with a connection error instead of reaching a
 * dead socket, and the connection is not handed back to the pool, which has already dropped it.
 * @module
 */
import type { DriverQuery, QueryResult, ReservedSession } from "../src/backend.ts";
import { isConnectionFailure } from "../src/dialect/dialect.ts";

/** A reserved session guarded against its connection being lost. */
export class GuardedSession implements ReservedSession {
  #lost = false;
  readonly #run: (query: DriverQuery) => Promise<QueryResult>;
  readonly #release: () => void;
  readonly #lostCode: string;

  /**
   * @param run runs a statement on the reserved connection
   * @param release hands the connection back to the pool
   * @param lostCode the driver's code for a closed connection (so dialects classify it)
   */
  constructor(run: (query: DriverQuery) => Promise<QueryResult>, release: () => void, lostCode: string) {
    this.#run = run;
    this.#release = release;
    this.#lostCode = lostCode;
  }

  /** Records that the connection is gone (from a driver's close event). */
  markLost(): void {
    this.#lost = true;
  }

  async run(query: DriverQuery): Promise<QueryResult> {
    if (this.#lost) {
      const message = "the transaction's connection was closed by the server or the network";
      throw Object.assign(new Error(message), { code: this.#lostCode });
    }
    try {
      return await this.#run(query);
    } catch (error) {
      if (isConnectionFailure(error)) this.#lost = true;
      throw error;
    }
  }

  release(): void {
    if (!this.#lost) this.#release();
  }
}
