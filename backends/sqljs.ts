/**
 * SQLite compiled to WASM (sql.js), for `ActiveRecord` and `AsyncActiveRecord` in browsers, Deno and
 * Node. The database lives in memory; give it a store (IndexedDB in browsers) and it is loaded on
 * open and saved after each commit. This module imports no `node:` or `Deno` API.
 *
 * @example
 * ```ts
 * import { IndexedDbStore, SqlJsBackend } from "@rho/activerecord/sqljs";
 * const backend = await SqlJsBackend.open({ store: new IndexedDbStore("my-app") });
 * Todo.configure(backend);
 * Todo.createTable({ ifNotExists: true });
 * ```
 * @module
 */
import initSqlJs from "sql.js";
import type { TransactionContext } from "../src/backend.ts";
import { SqlJsConnection, type SqlJsDatabase } from "./sqljs/driver.ts";
import { type PersistenceStore, SaveScheduler } from "./sqljs/persistence.ts";
import { EmbeddedSqliteBackend } from "./sqlite/embedded.ts";

export {
  type IdbDatabase,
  type IdbFactory,
  type IdbRequest,
  type IdbTransaction,
  IndexedDbStore,
  type IndexedDbStoreOptions,
} from "./sqljs/indexeddb.ts";
export { EmbeddedSqliteBackend } from "./sqlite/embedded.ts";
export type { PersistenceStore } from "./sqljs/persistence.ts";
export type { SqlJsDatabase, SqlJsStatement } from "./sqljs/driver.ts";

/** The loaded sql.js module. */
export interface SqlJsStatic {
  /** Opens a database, empty or from a file's bytes. */
  readonly Database: new (data?: Uint8Array) => SqlJsDatabase;
}

/** How sql.js finds its WASM. */
export interface SqlJsLoadOptions {
  /** Maps a file name (`sql-wasm.wasm` / `sql-wasm-browser.wasm`) to its URL. Default: next to the script. */
  readonly locateFile?: (file: string) => string;
  /** The WASM itself, when you have loaded it. */
  readonly wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Options of `SqlJsBackend.open`. */
export interface SqlJsOptions extends SqlJsLoadOptions {
  /** Start from this database file (e.g. from `export()`). */
  readonly bytes?: Uint8Array;
  /** Load from it on open and save to it after each commit (e.g. `new IndexedDbStore("app")`). */
  readonly store?: PersistenceStore;
  /** Told about a save that failed; the next commit tries again (default: console.error). */
  readonly onSaveError?: (error: unknown) => void;
  /** An already-loaded sql.js module (skips loading). */
  readonly sql?: SqlJsStatic;
  /** Enforce foreign keys (default true). */
  readonly foreignKeys?: boolean;
  /** Prepared statements kept (default 256). */
  readonly statementCacheSize?: number;
  /**
   * The async context for `AsyncActiveRecord`. Browsers have none: there, queries issued while a
   * transaction is open join it. On servers pass `serverContext` from `@rho/activerecord/sqlite`.
   */
  readonly context?: TransactionContext;
}

/**
 * Loads sql.js once (the first caller's WASM options win, as sql.js caches its module).
 *
 * @example
 * ```ts
 * const SQL = await loadSqlJs({ locateFile: (file) => `/assets/${file}` });
 * ```
 */
export function loadSqlJs(options: SqlJsLoadOptions = {}): Promise<SqlJsStatic> {
  const config: Record<string, unknown> = {};
  if (options.locateFile) config.locateFile = options.locateFile;
  if (options.wasmBinary) config.wasmBinary = options.wasmBinary;
  return (initSqlJs as unknown as (config: Record<string, unknown>) => Promise<SqlJsStatic>)(config);
}

/**
 * A SQLite database in WASM memory: synchronous for `ActiveRecord`, shared safely for
 * `AsyncActiveRecord`, optionally persisted to a store.
 *
 * @example
 * ```ts
 * const backend = await SqlJsBackend.open();
 * User.configure(backend);
 * const bytes = backend.export(); // the whole database file
 * const copy = await SqlJsBackend.open({ bytes });
 * ```
 */
export class SqlJsBackend extends EmbeddedSqliteBackend {
  readonly #connection: SqlJsConnection;
  readonly #saver: SaveScheduler | undefined;
  #closing: Promise<void> | undefined;

  /** Opens a backend: loads sql.js (unless given), then the database from `bytes` or the store. */
  static async open(options: SqlJsOptions = {}): Promise<SqlJsBackend> {
    const SQL = options.sql ?? await loadSqlJs(options);
    const bytes = options.bytes ?? await options.store?.load();
    return new SqlJsBackend(new SQL.Database(bytes), options);
  }

  /** Wraps an open sql.js database; prefer `SqlJsBackend.open`. */
  constructor(
    db: SqlJsDatabase,
    options: Omit<SqlJsOptions, "sql" | "bytes" | "locateFile" | "wasmBinary"> = {},
  ) {
    const connection = new SqlJsConnection(db, options.statementCacheSize ?? 256);
    super(connection, options.context);
    this.#connection = connection;
    const onError = options.onSaveError ??
      ((error: unknown) => console.error("saving the database failed:", error));
    this.#saver = options.store && new SaveScheduler(options.store, () => connection.export(), onError);
    const foreignKeys = options.foreignKeys === false ? "OFF" : "ON";
    this.setUp([`PRAGMA foreign_keys = ${foreignKeys}`]);
  }

  /** Commits and auto-committed writes schedule a save. */
  protected override ran(text: string): void {
    this.#saver?.ran(text);
  }

  /** The whole database file as bytes (open it again with `SqlJsBackend.open({ bytes })`). */
  export(): Uint8Array {
    return this.#connection.export();
  }

  /**
   * Saves committed changes that are not saved yet; resolves once the store has them and rejects if
   * the save fails (the changes stay to be saved). An open transaction is waited for first, so do
   * not await this inside a transaction.
   */
  flush(): Promise<void> {
    return this.#saver?.flush() ?? Promise.resolve();
  }

  /**
   * Waits for an open transaction, saves what is committed (with a store), then closes; resolves
   * once saved. If the final save fails it rejects and the database stays open and usable, so
   * nothing is lost. Closing twice does nothing.
   */
  override close(): Promise<void> {
    return this.#closing ??= this.#close().finally(() => this.#closing = undefined);
  }

  async #close(): Promise<void> {
    // Statements are refused from the moment no transaction is open, so none slips in unsaved.
    while (this.#saver?.inTransaction) await this.#saver.idle();
    if (!this.markClosed()) return;
    try {
      await this.flush();
    } catch (error) {
      this.reopen();
      throw error;
    }
    this.#connection.close();
  }
}
