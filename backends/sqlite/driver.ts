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
  /**
   * Steps through the rows of a query on a statement of its own (a cached one could be reused while
   * the iteration is open); `return()` on the rows ends it early.
   */
  iterate?(text: string, params: readonly unknown[], bigints: boolean): SteppedRows;
  /** Closes the connection. */
  close(): void;
}

/** Rows of one statement, stepped through one at a time. */
export interface SteppedRows {
  /** The statement's column names. */
  readonly columns: readonly string[];
  /** Its rows as arrays. */
  readonly rows: Iterator<unknown[]>;
}

/** Groups stepped rows into results of up to `size` rows; ending early ends the rows. */
export function* inBatches(stepped: SteppedRows, size: number): Generator<QueryResult, void, undefined> {
  const { columns, rows } = stepped;
  let done = false;
  try {
    while (!done) {
      const batch: unknown[][] = [];
      while (batch.length < size) {
        const next = rows.next();
        if (next.done) {
          done = true;
          break;
        }
        batch.push(next.value);
      }
      if (batch.length) yield { columns, rows: batch, changes: 0 };
    }
  } finally {
    if (!done) rows.return?.();
  }
}

/** The result of a statement that returns no rows. */
export function writeResult(changes: number | bigint, lastInsertId?: number | bigint): QueryResult {
  return { columns: NO_COLUMNS, rows: [], changes: Number(changes), lastInsertId };
}

const NO_COLUMNS: readonly string[] = Object.freeze([]);
