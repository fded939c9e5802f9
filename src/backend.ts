/**
 * The contracts between the core and the drivers. A backend answers SQL text plus parameters; the
 * core compiles, casts, hydrates and manages transactions. Backends live in `backends/`, one per
 * driver library, and declare the minimal shape of the library they wrap.
 *
 * @example
 * ```ts
 * import type { SyncBackend, DriverQuery, QueryResult } from "@rho/activerecord";
 * ```
 * @module
 */
import type { Dialect } from "./dialect/dialect.ts";

export { DriverError, type DriverErrorInfo } from "./errors.ts";

/** One statement as handed to a driver: text in the dialect's placeholder style, encoded params. */
export interface DriverQuery {
  /** SQL text with the dialect's placeholders. */
  readonly text: string;
  /** Parameters, already encoded for the driver. */
  readonly params: readonly unknown[];
  /** True when the statement produces rows to read (SELECT, or a write with RETURNING). */
  readonly returnsRows: boolean;
  /** Read integers as bigint where the driver needs to be told (SQLite); others ignore it. */
  readonly bigints?: boolean;
}

/** What a driver returns for one statement. */
export interface QueryResult {
  /** Column names of the rows, in order. A driver may return the same array for the same statement. */
  readonly columns: readonly string[];
  /** Rows as arrays of raw driver values, in the order of `columns`. */
  readonly rows: unknown[][];
  /** Rows changed by a write (0 for reads). */
  readonly changes: number;
  /** Key of the last inserted row, where the driver reports one. */
  readonly lastInsertId?: number | bigint;
}

/**
 * A driver that answers synchronously over one connection (SQLite, sql.js).
 *
 * @example
 * ```ts
 * const result = backend.sync!.run({ text: "select 1 as one", params: [], returnsRows: true });
 * ```
 */
export interface SyncBackend {
  /** The SQL flavour. */
  readonly dialect: Dialect;
  /** Runs one statement. */
  run(query: DriverQuery): QueryResult;
  /** Closes the connection; later calls fail. A backend that saves on close returns the save's Promise. */
  close(): void | Promise<void>;
  /**
   * Streaming (optional capability): reads the rows of `query` as the driver steps through them, in
   * batches of up to `batchSize`, each with the statement's columns. Without it, `iterate()` reads all
   * rows at once.
   */
  iterate?(query: DriverQuery, batchSize: number): Iterable<QueryResult>;
  /**
   * Called when a sync transaction takes the connection (and `release` when it ends), so that a
   * backend that also answers asynchronously on the same connection keeps async callers out of it.
   */
  hold?(): void;
  /** Called when the sync transaction that took the connection ended. */
  release?(): void;
}

/** A connection that runs statements asynchronously. */
export interface AsyncSession {
  /** Runs one statement. */
  run(query: DriverQuery): Promise<QueryResult>;
  /**
   * Streaming (optional capability): reads the rows of `query` through a cursor, in batches of up to
   * `batchSize`, each with the statement's columns. Stopping early (a `break`) closes the cursor.
   * Without it, `iterate()` reads all rows at once.
   */
  cursor?(query: DriverQuery, batchSize: number): AsyncIterable<QueryResult>;
  /**
   * Answers at once where it can (optional capability of embedded databases, whose statements run
   * synchronously): the result, or undefined when the caller must `run` and wait (the connection is
   * held by a transaction). A failure is thrown.
   */
  runNow?(query: DriverQuery): QueryResult | undefined;
}

/** A connection taken out of the pool for one transaction; `release` gives it back. */
export interface ReservedSession extends AsyncSession {
  /** Returns the connection to the pool. */
  release(): void | Promise<void>;
}

/**
 * Carries the current transaction across `await` (an `AsyncLocalStorage` on servers). The core
 * never imports it: server backends provide one, so the core stays browser-clean.
 */
export interface TransactionContext {
  /** Runs `fn` with `frame` as the current frame. */
  run<R>(frame: unknown, fn: () => R): R;
  /** The current frame, if any. */
  get(): unknown;
}

/**
 * A driver that answers with Promises, usually over a pool (PostgreSQL, MySQL), or a sync driver
 * wrapped so that its one connection is shared safely.
 *
 * @example
 * ```ts
 * const session = await backend.async.reserve();
 * try { await session.run({ text: "select 1", params: [], returnsRows: true }); } finally { await session.release(); }
 * ```
 */
export interface AsyncBackend extends AsyncSession {
  /** The SQL flavour. */
  readonly dialect: Dialect;
  /** The async context that lets queries join the transaction of their caller, if the platform has one. */
  readonly context: TransactionContext | undefined;
  /** Takes one connection for exclusive use (a transaction). */
  reserve(): Promise<ReservedSession>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/**
 * What `configure` accepts: a backend that offers an async face, and a sync one where the driver can
 * answer synchronously.
 *
 * @example
 * ```ts
 * import { SQLiteBackend } from "@rho/activerecord/sqlite";
 * const backend: Backend = new SQLiteBackend(":memory:");
 * backend.sync; // present: SQLite answers synchronously
 * ```
 */
export interface Backend {
  /** The SQL flavour. */
  readonly dialect: Dialect;
  /** The synchronous face, or undefined for async-only drivers. */
  readonly sync: SyncBackend | undefined;
  /** The asynchronous face. */
  readonly async: AsyncBackend;
  /**
   * Closes the database (a pool: every connection, once running work is done), so that a script can
   * exit. Embedded databases close at once (a value); servers answer with a Promise.
   */
  close(): void | Promise<void>;
}
