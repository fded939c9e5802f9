/**
 * better-sqlite3 (npm): `raw()` statements give rows as arrays; integers are read exactly with
 * `safeIntegers()` when a query needs it.
 * @module
 */
import type { QueryResult } from "../../src/backend.ts";
import { type SqliteConnection, writeResult } from "./driver.ts";
import { StatementCache } from "./statement_cache.ts";

/** The part of better-sqlite3's `Statement` this backend uses. */
export interface BetterSqlite3Statement {
  /** True for statements that return rows. */
  readonly reader: boolean;
  /** All rows. */
  all(...params: unknown[]): unknown[];
  /** Runs a write. */
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  /** Column descriptions (readers only). */
  columns(): { name: string }[];
  /** Rows as arrays (readers only). */
  raw(enabled?: boolean): this;
  /** Read integers as bigint. */
  safeIntegers(enabled?: boolean): this;
}

/** The part of better-sqlite3's `Database` this backend uses. */
export interface BetterSqlite3Database {
  /** Compiles one statement. */
  prepare(text: string): BetterSqlite3Statement;
  /** Runs several statements. */
  exec(text: string): unknown;
  /** Runs a pragma (used to tell better-sqlite3 from other drivers). */
  pragma(text: string): unknown;
  /** Closes the database. */
  close(): unknown;
}

interface Entry {
  readonly statement: BetterSqlite3Statement;
  readonly columns: readonly string[] | undefined;
  bigints: boolean;
}

/**
 * Wraps a better-sqlite3 `Database`. It has no `iterate`: better-sqlite3 refuses every other
 * statement while an iteration is open ("connection is busy"), so `iterate()` reads all rows at once.
 */
export class BetterSqlite3Connection implements SqliteConnection {
  readonly #db: BetterSqlite3Database;
  readonly #statements: StatementCache<Entry>;

  /** Wraps `db`, keeping up to `cacheSize` prepared statements. */
  constructor(db: BetterSqlite3Database, cacheSize: number) {
    this.#db = db;
    this.#statements = new StatementCache<Entry>(cacheSize, (text) => {
      const statement = db.prepare(text);
      if (!statement.reader) return { statement, columns: undefined, bigints: false };
      statement.raw(true);
      return { statement, columns: statement.columns().map((c) => c.name), bigints: false };
    });
  }

  query(text: string, params: readonly unknown[], returnsRows: boolean, bigints: boolean): QueryResult {
    const entry = this.#statements.get(text);
    const { statement } = entry;
    if (entry.bigints !== bigints) statement.safeIntegers(entry.bigints = bigints);
    if (!returnsRows || !statement.reader) {
      const { changes, lastInsertRowid } = statement.run(...params);
      return returnsRows ? { columns: [], rows: [], changes } : writeResult(changes, lastInsertRowid);
    }
    return { columns: entry.columns!, rows: statement.all(...params) as unknown[][], changes: 0 };
  }

  script(text: string): void {
    this.#db.exec(text);
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}
