/**
 * PostgreSQL through postgres.js, for `AsyncActiveRecord` and `connectAsync`. Importing this module
 * registers the `postgres:` and `postgresql:` URL schemes.
 *
 * @example
 * ```ts
 * import { PostgresBackend } from "@rho/activerecord/postgres";
 * await AsyncUser.configure(new PostgresBackend("postgres://app@127.0.0.1:5432/app", { max: 10 }));
 * ```
 * @module
 */
import {
  type LogQueriesOptions,
  queryEvents,
  type QueryListener,
  type QueryListenerOptions,
  queryLogger,
} from "../src/run/events.ts";
import postgres from "postgres";
import type {
  AsyncBackend,
  Backend,
  DriverQuery,
  QueryResult,
  ReservedSession,
  TransactionContext,
} from "../src/backend.ts";
import { registerBackend } from "../src/run/registry.ts";
import { PostgresDialect } from "../src/dialect/postgres.ts";
import { serverContext } from "./context.ts";
import {
  execute,
  isTimeout,
  type PostgresConnectionHandle,
  type PostgresSql,
  RetiringPool,
} from "./postgres/pool.ts";
import { cursorInOwnTransaction, declaredCursor } from "./postgres/cursor.ts";
import { isLost, postgresError } from "./postgres/errors.ts";
import { ConnectGuard, type SocketTarget } from "./postgres/socket.ts";
import { types } from "./postgres/types.ts";
import { GuardedSession } from "./session.ts";
import { poolSize, positiveMs, type ServerConnection, serverConnection } from "./url.ts";

/** Pool options, in milliseconds. */
export interface PostgresOptions {
  /** Most connections in the pool (default 10). */
  readonly max?: number;
  /** Close connections idle this long (default: never). */
  readonly idleTimeout?: number;
  /** Give up connecting after this long, with a `ConnectionError` (default 30,000). */
  readonly connectTimeout?: number;
  /** How long `close()` lets running queries finish before cutting connections (default 5,000). */
  readonly closeTimeout?: number;
  /**
   * Cancel a statement still running after this long and fail it with `QueryCanceledError`
   * (default: none). It also bounds a silent network partition, which would otherwise leave a query
   * pending forever.
   */
  readonly queryTimeout?: number;
  /** TLS: `true`, `"require"`, or options for the TLS connection. */
  readonly ssl?: boolean | "require" | "prefer" | Record<string, unknown>;
  /** The async context that lets queries join their caller's transaction (default: AsyncLocalStorage). */
  readonly context?: TransactionContext;
}

/** Connection settings as an object, instead of a URL. */
export type PostgresConnection = ServerConnection;

/**
 * A pool of PostgreSQL connections. Async only: configuring a sync model with it is a
 * `ConfigurationError`.
 *
 * @example
 * ```ts
 * const backend = new PostgresBackend("postgres://postgres@127.0.0.1:5432/test", { max: 10, connectTimeout: 5000 });
 * await AsyncUser.configure(backend);
 * await backend.close();
 * ```
 */
export class PostgresBackend implements Backend, AsyncBackend {
  /** The PostgreSQL dialect. */
  readonly dialect: PostgresDialect = new PostgresDialect();
  /** PostgreSQL answers only asynchronously. */
  readonly sync: undefined = undefined;
  /** Carries the current transaction across `await`. */
  readonly context: TransactionContext | undefined;
  readonly #pool: RetiringPool;
  readonly #guard: ConnectGuard;
  readonly #closeTimeout: number;
  readonly #queryTimeout: number | undefined;

  /** Opens a pool lazily; the first query connects. */
  constructor(target: string | PostgresConnection, options: PostgresOptions = {}) {
    const connection = serverConnection(target, ["postgres:", "postgresql:"], "PostgresBackend");
    const url = typeof target === "string" ? new URL(target) : undefined;
    const connectTimeout = options.connectTimeout ??
      (Number(url?.searchParams.get("connect_timeout")) * 1000 || 30_000);
    // Only options that were given: postgres.js lets a key present in the options, even undefined,
    // override the URL's query (`ssl: undefined` would silently drop `?sslmode=require`).
    const settings: Record<string, unknown> = {
      max: poolSize(options.max),
      types,
      onnotice: () => {},
      connect_timeout: connectTimeout / 1000,
    };
    if (options.idleTimeout !== undefined) settings.idle_timeout = options.idleTimeout / 1000;
    if (options.ssl !== undefined) settings.ssl = options.ssl;
    this.#queryTimeout = positiveMs(options.queryTimeout, "queryTimeout");
    const guard = this.#guard = new ConnectGuard(connectTimeout);
    this.#closeTimeout = options.closeTimeout ?? 5000;
    this.#pool = new RetiringPool(() => {
      const all: Record<string, unknown> = { ...settings, socket: (to: SocketTarget) => guard.open(to) };
      // A URL goes to postgres.js as it is, so that its query parameters (sslmode, search_path, ...) apply.
      return (typeof target === "string"
        ? postgres(target, all)
        : postgres({ ...connection, ...all })) as unknown as PostgresSql;
    }, this.#closeTimeout);
    this.context = options.context ?? serverContext;
  }

  /** This backend is its own async face. */
  get async(): AsyncBackend {
    return this;
  }

  /** Runs one statement on any pooled connection; a lost connection retires the pool. */
  run(query: DriverQuery): Promise<QueryResult> {
    const generation = this.#pool.current;
    return execute(generation.sql, query, this.#queryTimeout).catch((error) => {
      if (isLost(error) || isTimeout(error)) this.#pool.retire(generation);
      throw error;
    });
  }

  /**
   * Takes one connection out of the pool (for a transaction).
   *
   * postgres.js writes to a reserved connection even after the server closed it, which throws an
   * uncaught TypeError (porsager/postgres#1208), and releasing such a connection breaks the pool
   * (#1199). So the session watches its connection, as postgres.js's own `begin` does: once it is
   * lost (or a statement timed out on it), queries fail with a `ConnectionError`, the connection is
   * not handed back, and its pool is retired.
   */
  async reserve(): Promise<ReservedSession> {
    const generation = this.#pool.current;
    let reserved: PostgresSql & { release(): void };
    try {
      reserved = await generation.sql.reserve();
    } catch (failure) {
      const error = postgresError(failure, undefined);
      if (isLost(error)) this.#pool.retire(generation);
      throw error;
    }
    this.#pool.lease(generation);
    let connection: PostgresConnectionHandle | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.#pool.unlease(generation);
    };
    const lose = () => {
      session.markLost();
      this.#pool.retire(generation);
      end();
    };
    const session: GuardedSession = new GuardedSession(
      async (query) => {
        try {
          // The first statement (the transaction's BEGIN) hands over the connection to watch.
          return await execute(reserved, query, this.#queryTimeout, connection ? undefined : watch);
        } catch (error) {
          if (isLost(error) || isTimeout(error)) lose();
          throw error;
        }
      },
      () => {
        if (connection) connection.onclose = null;
        reserved.release();
        end();
      },
      "PostgreSQL",
      declaredCursor,
    );
    const watch = (handle: PostgresConnectionHandle) => {
      connection = handle;
      handle.onclose = lose;
      return true;
    };
    return session;
  }

  /**
   * Calls `listener` after every statement on this backend (models, queries, transactions, DDL, raw
   * SQL) with its SQL, time, row count and error; parameters are redacted to their types unless
   * `{ params: true }`. Returns the function that stops it.
   *
   * @example
   * ```ts
   * const stop = backend.onQuery((e) => metrics.observe(e.durationMs));
   * stop();
   * ```
   */
  onQuery(listener: QueryListener, options?: QueryListenerOptions): () => void {
    return queryEvents(this).listen(listener, options);
  }

  /**
   * Prints every statement with its time (`[0.4 ms] SELECT ... (1 row)`); returns the function that
   * stops it.
   *
   * @example
   * ```ts
   * const stop = backend.logQueries();
   * ```
   */
  logQueries(options?: LogQueriesOptions): () => void {
    return queryEvents(this).listen(queryLogger(options), options);
  }

  /**
   * The rows of `query` in batches through a cursor (`DECLARE` / `FETCH`) in a transaction of its own
   * on one connection of the pool, given back when the last batch is read or the reading stops.
   */
  async *cursor(query: DriverQuery, batchSize: number): AsyncGenerator<QueryResult, void, undefined> {
    const session = await this.reserve();
    yield* cursorInOwnTransaction((q) => session.run(q), () => session.release(), query, batchSize);
  }

  /**
   * Closes every connection, letting running queries finish for up to `closeTimeout`; resolves once
   * the sockets are closed (cancel requests included).
   */
  async close(): Promise<void> {
    await this.#pool.close();
    await this.#guard.drained(this.#closeTimeout);
  }
}

registerBackend("postgres", (url) => new PostgresBackend(url));
registerBackend("postgresql", (url) => new PostgresBackend(url));
