/**
 * An async face for a sync backend (SQLite, sql.js): one connection, shared safely. While a
 * transaction holds it, statements from outside wait for the transaction to end; they never run
 * inside it.
 * @module
 */
import type {
  AsyncBackend,
  DriverQuery,
  QueryResult,
  ReservedSession,
  SyncBackend,
  TransactionContext,
} from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";

/**
 * Wraps a `SyncBackend` as an `AsyncBackend`. Backends with a sync driver use it for their `async`
 * face; `context` (an `AsyncLocalStorage` on servers) lets queries inside a transaction callback
 * find the transaction.
 *
 * @example
 * ```ts
 * const asyncFace = new SerializedAsyncBackend(syncBackend, context);
 * ```
 */
export class SerializedAsyncBackend implements AsyncBackend {
  readonly context: TransactionContext | undefined;
  readonly #sync: SyncBackend;
  #owner: ReservedSession | undefined;
  #released: Promise<void> = Promise.resolve();

  /** Shares `sync`'s one connection between async callers. */
  constructor(sync: SyncBackend, context?: TransactionContext) {
    this.#sync = sync;
    this.context = context;
  }

  /** The dialect of the wrapped backend. */
  get dialect(): Dialect {
    return this.#sync.dialect;
  }

  async run(query: DriverQuery): Promise<QueryResult> {
    while (this.#owner) await this.#released;
    return this.#sync.run(query);
  }

  async reserve(): Promise<ReservedSession> {
    while (this.#owner) await this.#released;
    let release!: () => void;
    this.#released = new Promise((resolve) => release = resolve);
    const session: ReservedSession = {
      run: (query) => {
        if (this.#owner !== session) {
          return Promise.reject(new TransactionError("the transaction's connection was already released"));
        }
        try {
          return Promise.resolve(this.#sync.run(query));
        } catch (error) {
          return Promise.reject(error);
        }
      },
      release: () => {
        if (this.#owner !== session) return;
        this.#owner = undefined;
        release();
      },
    };
    this.#owner = session;
    return session;
  }

  close(): Promise<void> {
    return Promise.resolve(this.#sync.close());
  }
}
