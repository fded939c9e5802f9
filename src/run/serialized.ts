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
  /** Who holds the connection: an async transaction's session, or a sync transaction. */
  #owner: ReservedSession | "sync" | undefined;
  #released: Promise<void> = Promise.resolve();
  #release: () => void = () => {};

  /** Shares `sync`'s one connection between async callers. */
  constructor(sync: SyncBackend, context?: TransactionContext) {
    this.#sync = sync;
    this.context = context;
  }

  /** The dialect of the wrapped backend. */
  get dialect(): Dialect {
    return this.#sync.dialect;
  }

  run(query: DriverQuery): Promise<QueryResult> {
    // The common case, nobody holding the connection, runs at once: no async frame of its own.
    if (this.#owner) return this.#runWhenFree(query);
    try {
      return Promise.resolve(this.#sync.run(query));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The result at once, or undefined while a transaction holds the connection. */
  runNow(query: DriverQuery): QueryResult | undefined {
    return this.#owner ? undefined : this.#sync.run(query);
  }

  async #runWhenFree(query: DriverQuery): Promise<QueryResult> {
    while (this.#owner) await this.#released;
    return this.#sync.run(query);
  }

  /**
   * The rows of `query` in batches, read from the sync backend's iteration. Each batch is taken only
   * while no transaction holds the connection, so none is read inside another caller's transaction.
   */
  async *cursor(query: DriverQuery, batchSize: number): AsyncGenerator<QueryResult, void, undefined> {
    yield* this.#batches(query, batchSize, undefined);
  }

  async *#batches(
    query: DriverQuery,
    batchSize: number,
    session: ReservedSession | undefined,
  ): AsyncGenerator<QueryResult, void, undefined> {
    const sync = this.#sync;
    if (!sync.iterate) {
      yield session ? await session.run(query) : await this.run(query);
      return;
    }
    const batches = sync.iterate(query, batchSize)[Symbol.iterator]();
    try {
      for (;;) {
        if (session) {
          if (this.#owner !== session) throw released();
        } else {
          while (this.#owner) await this.#released;
        }
        const next = batches.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      batches.return?.();
    }
  }

  /** True while an async transaction holds the connection: a sync caller, who cannot wait, is refused. */
  get heldByAsync(): boolean {
    return this.#owner !== undefined && this.#owner !== "sync";
  }

  /** A sync transaction takes the connection: async callers wait until `releaseFromSync`. */
  holdForSync(): void {
    if (this.heldByAsync) throw heldError();
    if (this.#owner === "sync") return;
    this.#take("sync");
  }

  /** The sync transaction ended. */
  releaseFromSync(): void {
    if (this.#owner === "sync") this.#give();
  }

  #take(owner: ReservedSession | "sync"): void {
    this.#owner = owner;
    this.#released = new Promise((resolve) => this.#release = resolve);
  }

  #give(): void {
    this.#owner = undefined;
    this.#release();
  }

  async reserve(): Promise<ReservedSession> {
    while (this.#owner) await this.#released;
    const session: ReservedSession = {
      run: (query) => {
        if (this.#owner !== session) return Promise.reject(released());
        try {
          return Promise.resolve(this.#sync.run(query));
        } catch (error) {
          return Promise.reject(error);
        }
      },
      runNow: (query) => this.#owner === session ? this.#sync.run(query) : undefined,
      cursor: (query, batchSize) => this.#batches(query, batchSize, session),
      release: () => {
        if (this.#owner === session) this.#give();
      },
    };
    this.#take(session);
    return session;
  }

  close(): Promise<void> {
    return Promise.resolve(this.#sync.close());
  }
}

function released(): TransactionError {
  return new TransactionError("the transaction's connection was already released");
}

/** The error for a sync caller while an async transaction holds the one connection. */
export function heldError(): TransactionError {
  return new TransactionError(
    "an async transaction holds this SQLite connection: a synchronous call cannot wait for it " +
      "(use the async model here, or run it after the transaction)",
  );
}
