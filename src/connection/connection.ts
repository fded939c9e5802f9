/**
 * The connection-level API, without models: `connect("sqlite::memory:")` and
 * `await connectAsync("postgres://...")`.
 * @module
 */
import type { Backend } from "../backend.ts";
import type { Mode, Out } from "../mode.ts";
import { engineFor } from "../run/engines.ts";
import {
  type LogQueriesOptions,
  queryEvents,
  type QueryListener,
  type QueryListenerOptions,
  queryLogger,
} from "../run/events.ts";
import { Executor } from "../transaction/handle.ts";
import { resolveBackend } from "../run/registry.ts";

/**
 * A database connection (or pool) in mode `M`: raw SQL, transactions, `close`, and disposal with
 * `using` / `await using`.
 *
 * @example
 * ```ts
 * using db = connect("sqlite::memory:");
 * db.executeNonQuery("create table t (x integer)");
 * db.executeNonQuery("insert into t values (?)", [1]);
 * db.executeScalar("select count(*) from t"); // 1
 * ```
 */
export class Connection<M extends Mode> extends Executor<M> {
  readonly #backend: Backend;
  readonly #mode: M;

  /** Wraps `backend` in mode `mode`; use `connect` / `connectAsync`. */
  constructor(backend: Backend, mode: M) {
    super(engineFor(backend, mode));
    this.#backend = backend;
    this.#mode = mode;
  }

  /** The backend, e.g. to configure models on the same database. */
  get backend(): Backend {
    return this.#backend;
  }

  /** `"sync"` (methods return values) or `"async"` (Promises). */
  get mode(): M {
    return this.#mode;
  }

  /**
   * Calls `listener` after every statement on this backend (models, queries, transactions, DDL, raw
   * SQL) with its SQL, time, row count and error; parameters are redacted to their types unless
   * `{ params: true }`. Returns the function that stops it.
   *
   * @example
   * ```ts
   * const stop = db.onQuery((e) => metrics.observe(e.durationMs));
   * stop();
   * ```
   */
  onQuery(listener: QueryListener, options?: QueryListenerOptions): () => void {
    return queryEvents(this.#backend).listen(listener, options);
  }

  /**
   * Prints every statement with its time (`[0.4 ms] SELECT ... (1 row)`); returns the function that
   * stops it.
   *
   * @example
   * ```ts
   * const stop = db.logQueries();
   * ```
   */
  logQueries(options?: LogQueriesOptions): () => void {
    return queryEvents(this.#backend).listen(queryLogger(options), options);
  }

  /** Closes the connection (or pool). */
  close(): Out<M, void> {
    if (this.#mode === "sync") return this.#backend.sync!.close() as Out<M, void>;
    return this.#backend.async.close() as Out<M, void>;
  }

  /** Closes a sync connection (for `using`). */
  [Symbol.dispose](): void {
    if (this.#mode === "async") {
      throw new TypeError("an async connection must be disposed with `await using`");
    }
    this.close();
  }

  /** Closes the connection (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Opens a synchronous connection from a URL (`sqlite::memory:`, `sqlite:app.db`) or a backend.
 *
 * @example
 * ```ts
 * import { connect } from "@rho/activerecord";
 * import "@rho/activerecord/sqlite";
 * using db = connect("sqlite::memory:");
 * db.execute("select 1 as one"); // [{ one: 1 }]
 * ```
 */
export function connect(target: string | Backend): Connection<"sync"> {
  return new Connection(resolveBackend(target), "sync");
}

/**
 * Opens an asynchronous connection (a pool, for servers) and checks that the database answers.
 *
 * @example
 * ```ts
 * import { connectAsync } from "@rho/activerecord";
 * import "@rho/activerecord/postgres";
 * await using db = await connectAsync("postgres://postgres@127.0.0.1:5432/test");
 * await db.executeScalar("select 1");
 * ```
 */
export async function connectAsync(target: string | Backend): Promise<Connection<"async">> {
  const connection = new Connection(resolveBackend(target), "async");
  try {
    await connection.executeScalar("SELECT 1");
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
  return connection;
}
