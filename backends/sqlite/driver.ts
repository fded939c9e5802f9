/**
 * The one shape the SQLite backend needs from a driver; adapters turn node:sqlite, better-sqlite3
 * and @db/sqlite into it.
 * @module
 */
import type { QueryResult } from "../../src/backend.ts";

/** A SQLite connection as the backend uses it. */
export interface SqliteConnection {
  /** Runs one statement with positional parameters. */
  query(text: string, params: readonly unknown[], returnsRows: boolean, bigints: boolean): QueryResult;
  /** Runs several statements without parameters. */
  script(text: string): void;
  /** Closes the connection. */
  close(): void;
}

/** The result of a statement that returns no rows. */
export function writeResult(changes: number | bigint, lastInsertId?: number | bigint): QueryResult {
  return { columns: NO_COLUMNS, rows: [], changes: Number(changes), lastInsertId };
}

const NO_COLUMNS: readonly string[] = Object.freeze([]);
