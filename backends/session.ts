/**
 * A reserved connection that knows when it is lost: once a connection failure is seen (or the
 * driver reports the close), statements fail at once with `ConnectionError` instead of reaching a
 * dead socket, and the connection is not handed back to the pool, which has already dropped it.
 * @module
 */
import type { DriverQuery, QueryResult, ReservedSession } from "../src/backend.ts";
import { ConnectionError } from "../src/errors.ts";

/** A reserved session guarded against its connection being lost. */
export class GuardedSession implements ReservedSession {
  /** Reads rows through a cursor on this connection, where the backend has one. */
  readonly cursor?: (query: DriverQuery, batchSize: number) => AsyncIterable<QueryResult>;
  #lost = false;
  readonly #run: (query: DriverQuery) => Promise<QueryResult>;
  readonly #release: () => void;
  readonly #database: string;

  /**
   * @param run runs a statement on the reserved connection (its errors already normalised)
   * @param release hands the connection back to the pool
   * @param database the database's name, for messages ("PostgreSQL")
   * @param cursor reads rows through a cursor, given this session's guarded `run`
   */
  constructor(
    run: (query: DriverQuery) => Promise<QueryResult>,
    release: () => void,
    database: string,
    cursor?: (
      run: (query: DriverQuery) => Promise<QueryResult>,
      query: DriverQuery,
      batchSize: number,
    ) => AsyncIterable<QueryResult>,
  ) {
    this.#run = run;
    this.#release = release;
    this.#database = database;
    if (cursor) this.cursor = (query, batchSize) => cursor((q) => this.run(q), query, batchSize);
  }

  /** Records that the connection is gone (from a driver's close event, or a timed-out statement). */
  markLost(): void {
    this.#lost = true;
  }

  async run(query: DriverQuery): Promise<QueryResult> {
    if (this.#lost) {
      throw new ConnectionError(
        `${this.#database}: the transaction's connection was closed by the server or the network`,
        { sql: query.text, params: query.params },
      );
    }
    try {
      return await this.#run(query);
    } catch (error) {
      if (error instanceof ConnectionError) this.#lost = true;
      throw error;
    }
  }

  release(): void {
    if (!this.#lost) this.#release();
  }
}
