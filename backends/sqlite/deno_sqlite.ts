/**
 * @db/sqlite (JSR, FFI). Written against its documented API; the test suite cannot install it, so
 * it is not exercised by CI. Open it with `int64: true`, or 64-bit integers read back wrong.
 * @module
 */
import type { QueryResult } from "../../src/backend.ts";
import { type SqliteConnection, writeResult } from "./driver.ts";
import { StatementCache } from "./statement_cache.ts";

/** The part of @db/sqlite's `Statement` this backend uses. */
export interface DenoSqliteStatement {
  /** All rows as arrays. */
  values(...params: unknown[]): unknown[][];
  /** Runs a write; returns the number of changed rows. */
  run(...params: unknown[]): number;
  /** Column names. */
  columnNames(): string[];
  /** Frees the statement. */
  finalize(): void;
}

/** The part of @db/sqlite's `Database` this backend uses. */
export interface DenoSqliteDatabase {
  /** Compiles one statement. */
  prepare(text: string): DenoSqliteStatement;
  /** Runs several statements. */
  exec(text: string): number;
  /** Closes the database. */
  close(): void;
  /** The FFI handle (used to tell @db/sqlite from other drivers). */
  readonly unsafeHandle: unknown;
}

interface Entry {
  readonly statement: DenoSqliteStatement;
  columns: readonly string[] | undefined;
}

/** Wraps a @db/sqlite `Database`. */
export class DenoSqliteConnection implements SqliteConnection {
  readonly #db: DenoSqliteDatabase;
  readonly #statements: StatementCache<Entry>;

  /** Wraps `db` (opened with `int64: true`), keeping up to `cacheSize` prepared statements. */
  constructor(db: DenoSqliteDatabase, cacheSize: number) {
    this.#db = db;
    this.#statements = new StatementCache<Entry>(
      cacheSize,
      (text) => ({ statement: db.prepare(text), columns: undefined }),
      (entry) => entry.statement.finalize(),
    );
  }

  query(text: string, params: readonly unknown[], returnsRows: boolean): QueryResult {
    const entry = this.#statements.get(text);
    if (!returnsRows) {
      const changes = entry.statement.run(...params);
      // db.lastInsertRowId is an i32 over FFI: read the key through SQL instead.
      const [[lastInsertId]] = this.#statements.get("SELECT last_insert_rowid()").statement.values() as [
        [number | bigint],
      ];
      return writeResult(changes, lastInsertId);
    }
    const rows = entry.statement.values(...params);
    entry.columns ??= entry.statement.columnNames();
    return { columns: entry.columns, rows, changes: 0 };
  }

  script(text: string): void {
    this.#db.exec(text);
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}
