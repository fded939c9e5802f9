/**
 * MySQL and MariaDB through mysql2, for `AsyncActiveRecord` and `connectAsync`. Importing this module
 * registers the `mysql:` and `mariadb:` URL schemes.
 *
 * @example
 * ```ts
 * import { MySQLBackend } from "@rho/activerecord/mysql";
 * await AsyncUser.configure(new MySQLBackend("mysql://app:secret@127.0.0.1:3306/app", { max: 10 }));
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
import mysql from "mysql2/promise";
import type {
  AsyncBackend,
  Backend,
  DriverQuery,
  QueryResult,
  ReservedSession,
  TransactionContext,
} from "../src/backend.ts";
import { registerBackend } from "../src/run/registry.ts";
import { ConfigurationError, QueryCanceledError } from "../src/errors.ts";
import { mysqlError } from "./mysql/errors.ts";
import { MySQLDialect } from "../src/dialect/mysql.ts";
import { serverContext } from "./context.ts";
import { GuardedSession } from "./session.ts";
import { poolSize, positiveMs, type ServerConnection, serverConnection } from "./url.ts";

/** Pool options, in milliseconds. */
export interface MySQLOptions {
  /** Most connections in the pool (default 10). */
  readonly max?: number;
  /** Close connections idle this long (default 60,000). */
  readonly idleTimeout?: number;
  /** Give up connecting after this long, with a `ConnectionError` (default 10,000). */
  readonly connectTimeout?: number;
  /**
   * Give up on a statement still running after this long, with `QueryCanceledError` (default: none);
   * mysql2 closes that connection. It also bounds a silent network partition.
   */
  readonly queryTimeout?: number;
  /** TLS options for the connection, as mysql2 takes them. */
  readonly ssl?: Record<string, unknown> | string;
  /** The async context that lets queries join their caller's transaction (default: AsyncLocalStorage). */
  readonly context?: TransactionContext;
}

/** Connection settings as an object, instead of a URL. */
export type MySQLConnection = ServerConnection;

/** Makes the pool; mysql2 throws plain errors for settings it rejects (e.g. `?ssl=true`). */
function createPool(settings: Record<string, unknown>): Pool {
  try {
    return mysql.createPool(settings as mysql.PoolOptions) as unknown as Pool;
  } catch (error) {
    throw new ConfigurationError(`MySQLBackend: mysql2 rejected the settings: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A result column as mysql2 describes it. */
interface Field {
  readonly name: string;
  readonly columnType?: number;
}

/** The part of a mysql2 promise connection (or pool) this backend uses. */
/** What mysql2 takes for one statement (`timeout`: ms, after which it gives up on the connection). */
interface Request {
  readonly sql: string;
  readonly rowsAsArray: boolean;
  readonly timeout?: number;
}

interface Queryable {
  execute(options: Request, params: unknown[]): Promise<[unknown, Field[] | undefined]>;
  query(options: Request): Promise<[unknown, Field[] | undefined]>;
}

interface PoolConnection extends Queryable {
  release(): void;
  /** Closes the connection and takes it out of the pool. */
  destroy(): void;
  readonly connection: {
    on(event: "error" | "end", listener: () => void): void;
    off(event: "error" | "end", listener: () => void): void;
    /** The callback-style execute: without a callback it returns the command, which can stream. */
    execute(options: Request, params: unknown[]): StreamingCommand;
  };
}

/** A running mysql2 command whose rows can be read as a stream. */
interface StreamingCommand {
  stream(options: { highWaterMark: number }): AsyncIterable<unknown[]> & {
    on(event: "fields", listener: (fields: Field[]) => void): void;
  };
}

interface Pool extends Queryable {
  getConnection(): Promise<PoolConnection>;
  end(): Promise<void>;
  readonly pool: {
    on(event: "connection", listener: (connection: { query(sql: string): void }) => void): void;
  };
}

/** What mysql2 returns for a write. */
interface ResultHeader {
  readonly affectedRows: number;
  readonly insertId: number | string;
}

/** mysql2's type code of BIGINT. */
const LONGLONG = 8;

/**
 * Every connection works in UTC (for DATETIME defaults and NOW()), in strict mode (nothing silently
 * truncated), and divides with full precision (AVG of integers would otherwise keep 4 decimals).
 */
const SESSION_SETUP = "SET time_zone = '+00:00', div_precision_increment = 30, " +
  "sql_mode = IF(@@sql_mode = '', 'STRICT_ALL_TABLES', CONCAT(@@sql_mode, ',STRICT_ALL_TABLES'))";

async function run(target: Queryable, query: DriverQuery, timeout: number | undefined): Promise<QueryResult> {
  // Queries and statements with parameters are prepared (mysql2 caches them per connection, and the
  // binary protocol reads rows faster); commands without parameters, such as SAVEPOINT, DDL or a
  // script, go as text, since MySQL cannot prepare all of them.
  const request: Request = timeout === undefined
    ? { sql: query.text, rowsAsArray: true }
    : { sql: query.text, rowsAsArray: true, timeout };
  let result: unknown;
  let fields: Field[] | undefined;
  try {
    [result, fields] = query.params.length || query.returnsRows
      ? await target.execute(request, query.params as unknown[])
      : await target.query(request);
  } catch (error) {
    throw mysqlError(error, { sql: query.text, params: query.params });
  }
  if (!Array.isArray(result)) {
    const header = result as ResultHeader;
    const id = header.insertId;
    return {
      columns: [],
      rows: [],
      changes: header.affectedRows,
      lastInsertId: id === 0 ? undefined : typeof id === "string" ? BigInt(id) : id,
    };
  }
  const rows = result as unknown[][];
  const columns = (fields ?? []).map((field) => field.name);
  exactBigints(rows, fields ?? []);
  return { columns, rows, changes: 0 };
}

/** BIGINT values beyond 2^53 arrive as strings: make them bigints, as on every other backend. */
function exactBigints(rows: unknown[][], fields: readonly Field[]): void {
  for (let c = 0; c < fields.length; c++) {
    if (fields[c].columnType !== LONGLONG) continue;
    for (const row of rows) if (typeof row[c] === "string") row[c] = BigInt(row[c] as string);
  }
}

/**
 * A pool of MySQL or MariaDB connections. Async only: configuring a sync model with it is a
 * `ConfigurationError`.
 *
 * @example
 * ```ts
 * const backend = new MySQLBackend("mysql://root@127.0.0.1:3306/test", { max: 10, connectTimeout: 5000 });
 * await AsyncUser.configure(backend);
 * await backend.close();
 * ```
 */
export class MySQLBackend implements Backend, AsyncBackend {
  /** The MySQL dialect. */
  readonly dialect: MySQLDialect = new MySQLDialect();
  /** MySQL answers only asynchronously. */
  readonly sync: undefined = undefined;
  /** Carries the current transaction across `await`. */
  readonly context: TransactionContext | undefined;
  readonly #pool: Pool;
  readonly #queryTimeout: number | undefined;

  /** Opens a pool lazily; the first query connects. */
  constructor(target: string | MySQLConnection, options: MySQLOptions = {}) {
    const max = poolSize(options.max);
    const connection = serverConnection(target, ["mysql:", "mariadb:"], "MySQLBackend");
    // A URL goes to mysql2 whole (`uri`), so its query parameters (`?ssl={...}`, ...) reach the driver;
    // options given here win over them.
    const where = typeof target === "string" ? { uri: target } : connection;
    const given: Record<string, unknown> = {};
    if (options.ssl !== undefined) given.ssl = options.ssl;
    if (options.idleTimeout !== undefined) given.idleTimeout = options.idleTimeout;
    if (options.connectTimeout !== undefined) given.connectTimeout = options.connectTimeout;
    const url = typeof target === "string" ? new URL(target).searchParams : undefined;
    this.#pool = createPool({
      ...where,
      connectionLimit: max,
      maxIdle: max,
      ...(url?.has("idleTimeout") ? {} : { idleTimeout: 60_000 }),
      ...(url?.has("connectTimeout") ? {} : { connectTimeout: 10_000 }),
      ...given,
      timezone: "Z",
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: ["DATE"],
      jsonStrings: true,
      charset: "utf8mb4_bin",
      // mysql2 otherwise captures a stack per query (a quarter of its CPU time per findOne, measured);
      // failures are rethrown as this library's errors, with the caller's stack, anyway.
      trace: false,
    });
    this.#pool.pool.on("connection", (conn) => conn.query(SESSION_SETUP));
    this.#queryTimeout = positiveMs(options.queryTimeout, "queryTimeout");
    this.context = options.context ?? serverContext;
  }

  /** This backend is its own async face. */
  get async(): AsyncBackend {
    return this;
  }

  /** Runs one statement on any pooled connection. */
  run(query: DriverQuery): Promise<QueryResult> {
    return run(this.#pool, query, this.#queryTimeout);
  }

  /** Takes one connection out of the pool (for a transaction); a lost one fails fast and is not reused. */
  async reserve(): Promise<ReservedSession> {
    let connection: PoolConnection;
    try {
      connection = await this.#pool.getConnection();
    } catch (error) {
      throw mysqlError(error, undefined);
    }
    const lost = () => session.markLost();
    const session = new GuardedSession(
      async (query) => {
        try {
          return await run(connection, query, this.#queryTimeout);
        } catch (error) {
          // A statement that timed out leaves the connection unusable: out of the pool with it, so
          // that its slot is free at once rather than when the server finishes the statement.
          if (error instanceof QueryCanceledError) {
            session.markLost();
            connection.destroy();
          }
          throw error;
        }
      },
      () => {
        // The pooled connection outlives the session: its listeners must not pile up.
        connection.connection.off("error", lost);
        connection.connection.off("end", lost);
        connection.release();
      },
      "MySQL",
    );
    connection.connection.on("error", lost);
    connection.connection.on("end", lost);
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
   * The rows of `query` in batches, streamed from one pooled connection (the server sends them as
   * they are read; mysql2 pauses the connection when a batch is waiting). The connection goes back to
   * the pool after the last row; stopping early closes it, since rows may still be on their way.
   */
  async *cursor(query: DriverQuery, batchSize: number): AsyncGenerator<QueryResult, void, undefined> {
    let connection: PoolConnection;
    try {
      connection = await this.#pool.getConnection();
    } catch (error) {
      throw mysqlError(error, undefined);
    }
    let finished = false;
    try {
      const request: Request = { sql: query.text, rowsAsArray: true };
      const stream = connection.connection.execute(request, query.params as unknown[]).stream({
        highWaterMark: batchSize,
      });
      let fields: Field[] = [];
      stream.on("fields", (received) => fields = received);
      let batch: unknown[][] = [];
      const flush = (): QueryResult => {
        const rows = batch;
        batch = [];
        exactBigints(rows, fields);
        return { columns: fields.map((f) => f.name), rows, changes: 0 };
      };
      for await (const row of stream) {
        batch.push(row);
        if (batch.length === batchSize) yield flush();
      }
      if (batch.length) yield flush();
      finished = true;
    } catch (error) {
      throw mysqlError(error, { sql: query.text, params: query.params });
    } finally {
      if (finished) connection.release();
      else connection.destroy();
    }
  }

  /** Closes every connection. */
  close(): Promise<void> {
    return this.#pool.end();
  }
}

registerBackend("mysql", (url) => new MySQLBackend(url));
registerBackend("mariadb", (url) => new MySQLBackend(url));
