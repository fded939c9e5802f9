/**
 * What the SQLite backends share, whatever the driver: one connection, the SQLite dialect, a sync
 * face and a serialized async face, scripts, and a clear error once closed.
 * @module
 */
import {
  type LogQueriesOptions,
  queryEvents,
  type QueryListener,
  type QueryListenerOptions,
  queryLogger,
} from "../../src/run/events.ts";
import type {
  AsyncBackend,
  Backend,
  DriverQuery,
  QueryResult,
  SyncBackend,
  TransactionContext,
} from "../../src/backend.ts";
import { SQLiteDialect } from "../../src/dialect/sqlite.ts";
import { ConnectionError } from "../../src/errors.ts";
import { heldError, SerializedAsyncBackend } from "../../src/run/serialized.ts";
import { isMultiStatement } from "../../src/sql/placeholders.ts";
import { inBatches, type SqliteConnection } from "./driver.ts";
import { sqliteError } from "./errors.ts";

/** A SQLite database behind one connection. */
export abstract class EmbeddedSqliteBackend implements Backend, SyncBackend {
  /** The SQLite dialect. */
  readonly dialect: SQLiteDialect = new SQLiteDialect();
  readonly #connection: SqliteConnection;
  readonly #async: SerializedAsyncBackend;
  #closed = false;

  /** Wraps `connection`; `context` is the async context of the async face. */
  protected constructor(connection: SqliteConnection, context: TransactionContext | undefined) {
    this.#connection = connection;
    // The async face runs statements without the sync face's check: its sessions own the connection.
    const inner: SyncBackend = {
      dialect: this.dialect,
      run: (query) => this.#execute(query),
      iterate: (query, batchSize) => this.#stepped(query, batchSize),
      close: () => this.close(),
    };
    this.#async = new SerializedAsyncBackend(inner, context);
  }

  /** The synchronous face: the backend itself. */
  get sync(): SyncBackend {
    return this;
  }

  /** The asynchronous face: the same connection, serialized around transactions. */
  get async(): AsyncBackend {
    return this.#async;
  }

  /**
   * Runs one statement for a sync caller. While an async transaction holds the connection this is a
   * `TransactionError`: running it would put the statement inside someone else's transaction.
   */
  run(query: DriverQuery): QueryResult {
    if (this.#async.heldByAsync) throw heldError();
    return this.#execute(query);
  }

  /**
   * The rows of `query` in batches, stepped through on a statement of their own (other statements
   * may run between batches). Refused, like `run`, while an async transaction holds the connection.
   */
  *iterate(query: DriverQuery, batchSize: number): Generator<QueryResult, void, undefined> {
    if (this.#async.heldByAsync) throw heldError();
    yield* this.#stepped(query, batchSize);
  }

  /** Batches of `query`'s rows, for both faces; driver errors normalised as in `run`. */
  *#stepped(query: DriverQuery, batchSize: number): Generator<QueryResult, void, undefined> {
    if (this.#closed) {
      throw new ConnectionError("SQLite: the database is closed", { sql: query.text, params: query.params });
    }
    const iterate = this.#connection.iterate?.bind(this.#connection);
    try {
      if (!iterate) {
        yield this.#run(query);
        return;
      }
      yield* inBatches(iterate(query.text, query.params, query.bigints ?? false), batchSize);
    } catch (error) {
      throw sqliteError(error, { sql: query.text, params: query.params });
    }
  }

  /** A sync transaction takes the connection; async callers wait for it. */
  hold(): void {
    this.#async.holdForSync();
  }

  /** The sync transaction ended. */
  release(): void {
    this.#async.releaseFromSync();
  }

  /** Runs one statement. Text with several statements and no parameters runs as a script. */
  #execute(query: DriverQuery): QueryResult {
    if (this.#closed) {
      throw new ConnectionError("SQLite: the database is closed", { sql: query.text, params: query.params });
    }
    let result: QueryResult;
    try {
      result = this.#run(query);
    } catch (error) {
      throw sqliteError(error, { sql: query.text, params: query.params });
    }
    this.ran(query.text);
    return result;
  }

  #run(query: DriverQuery): QueryResult {
    const connection = this.#connection;
    if (
      !query.returnsRows && query.params.length === 0 && isMultiStatement(query.text, this.dialect.lexRules)
    ) {
      connection.script(query.text);
      const changes = connection.query("SELECT changes()", [], true, false).rows[0][0];
      return { columns: [], rows: [], changes: Number(changes) };
    }
    return connection.query(query.text, query.params, query.returnsRows, query.bigints ?? false);
  }

  /**
   * Runs the statements that set the connection up, reading the file's header on the way: a file
   * that is not a SQLite database is a `ConnectionError` here, and the connection is closed.
   */
  protected setUp(statements: readonly string[]): void {
    try {
      for (const text of [...statements, "SELECT count(*) FROM sqlite_master"]) {
        this.run({ text, params: [], returnsRows: true });
      }
    } catch (error) {
      this.close();
      throw this.dialect.translateError(error, undefined);
    }
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

  /** Called after each statement (persistence uses it); does nothing by default. */
  protected ran(_text: string): void {}

  /** Closes the connection; later statements throw `ConnectionError`. Closing twice does nothing. */
  close(): void | Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.close();
  }

  /** Marks the backend closed without closing the connection yet (for backends that save first). */
  protected markClosed(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    return true;
  }

  /** Takes back `markClosed` (a final save failed: the database stays usable). */
  protected reopen(): void {
    this.#closed = false;
  }
}
