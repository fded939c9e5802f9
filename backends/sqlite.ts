/**
 * SQLite for `ActiveRecord` and `AsyncActiveRecord`: node:sqlite by default (built into Deno >= 2.2
 * and Node >= 22.5), or a better-sqlite3 / @db/sqlite database you opened yourself. Importing this
 * module registers the `sqlite:` URL scheme.
 *
 * @example
 * ```ts
 * import { SQLiteBackend } from "@rho/activerecord/sqlite";
 * User.configure(new SQLiteBackend(":memory:"));
 * User.configure(new SQLiteBackend("app.db", { timeout: 10_000 }));
 * ```
 * @module
 */
import { createRequire } from "node:module";
import process from "node:process";
import type { TransactionContext } from "../src/backend.ts";
import { registerBackend } from "../src/run/registry.ts";
import { ArgumentError, ConfigurationError, ConnectionError } from "../src/errors.ts";
import { serverContext } from "./context.ts";
import { BetterSqlite3Connection, type BetterSqlite3Database } from "./sqlite/better_sqlite3.ts";
import { DenoSqliteConnection, type DenoSqliteDatabase } from "./sqlite/deno_sqlite.ts";
import type { SqliteConnection } from "./sqlite/driver.ts";
import { EmbeddedSqliteBackend } from "./sqlite/embedded.ts";
import { NodeSqliteConnection, type NodeSqliteDatabase } from "./sqlite/node_sqlite.ts";

export { serverContext } from "./context.ts";
export { EmbeddedSqliteBackend } from "./sqlite/embedded.ts";
export type { BetterSqlite3Database, DenoSqliteDatabase, NodeSqliteDatabase };
export type { BetterSqlite3Statement } from "./sqlite/better_sqlite3.ts";
export type { DenoSqliteStatement } from "./sqlite/deno_sqlite.ts";
export type { NodeSqliteStatement } from "./sqlite/node_sqlite.ts";

/** Options of `SQLiteBackend`. */
export interface SQLiteOptions {
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  readonly timeout?: number;
  /** Open read-only (a path only). */
  readonly readOnly?: boolean;
  /** Enforce foreign keys (default true). */
  readonly foreignKeys?: boolean;
  /** Use write-ahead logging for file databases (default true). */
  readonly wal?: boolean;
  /** Prepared statements kept per connection (default 256). */
  readonly statementCacheSize?: number;
  /** The async context for `AsyncActiveRecord` (default: `AsyncLocalStorage`). */
  readonly context?: TransactionContext;
}

/** A database object of a supported driver. */
export type SqliteDatabase = NodeSqliteDatabase | BetterSqlite3Database | DenoSqliteDatabase;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function wrap(db: SqliteDatabase, cacheSize: number): SqliteConnection {
  if (!isObject(db) || typeof db.prepare !== "function") {
    throw new ConfigurationError(
      "SQLiteBackend expects a path or an open node:sqlite, better-sqlite3 or @db/sqlite database",
    );
  }
  if ("pragma" in db && typeof db.pragma === "function") {
    return new BetterSqlite3Connection(db as BetterSqlite3Database, cacheSize);
  }
  if ("unsafeHandle" in db) return new DenoSqliteConnection(db as DenoSqliteDatabase, cacheSize);
  return new NodeSqliteConnection(db as NodeSqliteDatabase, cacheSize);
}

/**
 * A SQLite database: one connection, synchronous for `ActiveRecord`, shared safely for
 * `AsyncActiveRecord` (a transaction holds it; other queries wait).
 *
 * @example
 * ```ts
 * const backend = new SQLiteBackend(":memory:");
 * User.configure(backend);          // sync models
 * await AsyncUser.configure(backend); // async models on the same database
 * backend.close();
 * ```
 */
export class SQLiteBackend extends EmbeddedSqliteBackend {
  /**
   * Opens `target`: a path, `":memory:"` (the default), or a database object you opened with
   * node:sqlite, better-sqlite3 or @db/sqlite (`new Database(path, { int64: true })`).
   */
  constructor(target: string | SqliteDatabase = ":memory:", options: SQLiteOptions = {}) {
    super(open(target, options), options.context ?? serverContext);
    const pragmas = [
      `PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.timeout ?? 5000))}`,
      `PRAGMA foreign_keys = ${options.foreignKeys === false ? "OFF" : "ON"}`,
    ];
    const onDisk = typeof target === "string" && target !== ":memory:" && !options.readOnly;
    if (onDisk && options.wal !== false) pragmas.push("PRAGMA journal_mode = WAL");
    this.setUp(pragmas);
  }

  /** Closes the database (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** The driver that opens paths: node:sqlite where the runtime has it, else better-sqlite3 (Node 20). */
type PathDriver = (path: string, readOnly: boolean) => SqliteDatabase;

let pathDriver: PathDriver | undefined;

/**
 * Finds the driver for paths when first needed, so that importing this module never fails: node:sqlite
 * (Deno, Node >= 22.13) is loaded only then, and where it is missing (Node 20) better-sqlite3 is.
 */
function driverForPaths(): PathDriver {
  if (pathDriver) return pathDriver;
  type NodeSqlite = { DatabaseSync: new (path: string, options: object) => NodeSqliteDatabase };
  const builtin = process.getBuiltinModule?.("node:sqlite") as NodeSqlite | undefined;
  if (builtin) {
    return pathDriver = (path, readOnly) => new builtin.DatabaseSync(path, { readOnly });
  }
  let Database: new (path: string, options: object) => BetterSqlite3Database;
  try {
    Database = createRequire(import.meta.url)("better-sqlite3");
  } catch (error) {
    throw new ConfigurationError(
      "SQLite needs node:sqlite (Deno, Node >= 22.13) or better-sqlite3: on Node 20, npm install better-sqlite3@12",
      { cause: error },
    );
  }
  return pathDriver = (path, readOnly) => new Database(path, { readonly: readOnly });
}

function open(target: string | SqliteDatabase, options: SQLiteOptions): SqliteConnection {
  const cacheSize = options.statementCacheSize ?? 256;
  if (typeof target !== "string") return wrap(target, cacheSize);
  if (target === "") throw new ConfigurationError('SQLiteBackend needs a path, or ":memory:"');
  const driver = driverForPaths();
  try {
    return wrap(driver(target, options.readOnly ?? false), cacheSize);
  } catch (error) {
    throw new ConnectionError(
      `SQLite: cannot open ${JSON.stringify(target)}: ${(error as Error).message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/**
 * The path of a SQLite URL.
 *
 * @example
 * ```ts
 * sqlitePath("sqlite::memory:"); // ":memory:"
 * sqlitePath("sqlite:///var/data/app.db"); // "/var/data/app.db"
 * ```
 */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:/i, "");
  const path = rest.startsWith("//") ? rest.slice(2) : rest;
  if (path === "") {
    throw new ArgumentError(`a SQLite URL needs a path or :memory:, got ${JSON.stringify(url)}`);
  }
  return path;
}

registerBackend("sqlite", (url) => new SQLiteBackend(sqlitePath(url)));
