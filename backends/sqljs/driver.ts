/**
 * sql.js as the SQLite backend's driver: statements prepared once and stepped, rows read as arrays.
 * Every call crosses into WASM (~10 µs), so statements are cached and the insert id is read only
 * after inserts.
 * @module
 */
import type { QueryResult } from "../../src/backend.ts";
import type { SqliteConnection, SteppedRows } from "../sqlite/driver.ts";
import { writeResult } from "../sqlite/driver.ts";
import { StatementCache } from "../sqlite/statement_cache.ts";

/** The part of sql.js's `Statement` this backend uses. */
export interface SqlJsStatement {
  /** Binds positional values (resetting the statement). */
  bind(values?: unknown[]): boolean;
  /** Steps to the next row; false when done. */
  step(): boolean;
  /** The current row as an array. */
  get(params?: null, config?: { useBigInt?: boolean }): unknown[];
  /** Column names. */
  getColumnNames(): string[];
  /** Resets for the next execution. */
  reset(): void;
  /** Frees the statement. */
  free(): boolean;
}

/** The part of sql.js's `Database` this backend uses. */
export interface SqlJsDatabase {
  /** Compiles one statement. */
  prepare(text: string): SqlJsStatement;
  /** Runs several statements. */
  exec(text: string): unknown;
  /** Rows changed by the last statement. */
  getRowsModified(): number;
  /** The database file as bytes. */
  export(): Uint8Array;
  /** Closes the database. */
  close(): void;
}

interface Entry {
  readonly statement: SqlJsStatement;
  columns: readonly string[] | undefined;
  /** An INSERT (or REPLACE), whose key is read after it runs. */
  readonly inserts: boolean;
}

const INSERT = /^\s*(INSERT|REPLACE)\b/i;

/** sql.js binds bigints as text; numbers are exact for safe integers, text converts by column affinity. */
function bindable(params: readonly unknown[]): unknown[] {
  let bigints = false;
  for (let i = 0; i < params.length; i++) if (typeof params[i] === "bigint") bigints = true;
  if (!bigints) return params as unknown[]; // sql.js only reads them
  return params.map((p) =>
    typeof p !== "bigint" ? p : p >= -9007199254740991n && p <= 9007199254740991n ? Number(p) : p.toString()
  );
}

/** Wraps a sql.js `Database`. */
export class SqlJsConnection implements SqliteConnection {
  readonly #db: SqlJsDatabase;
  readonly #statements: StatementCache<Entry>;

  /** Wraps `db`, keeping up to `cacheSize` prepared statements. */
  constructor(db: SqlJsDatabase, cacheSize: number) {
    this.#db = db;
    this.#statements = new StatementCache<Entry>(
      cacheSize,
      (text) => ({ statement: db.prepare(text), columns: undefined, inserts: INSERT.test(text) }),
      (entry) => entry.statement.free(),
    );
  }

  query(text: string, params: readonly unknown[], returnsRows: boolean, bigints: boolean): QueryResult {
    const entry = this.#statements.get(text);
    const { statement } = entry;
    try {
      // bind() resets the statement first, so no reset is needed after a statement ran to its end.
      statement.bind(bindable(params));
      if (returnsRows) {
        const rows: unknown[][] = [];
        const config = bigints ? { useBigInt: true } : undefined;
        while (statement.step()) rows.push(statement.get(null, config));
        entry.columns ??= statement.getColumnNames();
        return { columns: entry.columns, rows, changes: 0 };
      }
      statement.step();
    } catch (error) {
      statement.reset();
      throw error;
    }
    // After an insert, read its key at once (an async caller could run next) with its change count.
    if (entry.inserts) return this.#insertResult();
    return writeResult(this.#db.getRowsModified());
  }

  #insertResult(): QueryResult {
    const changes = this.#db.getRowsModified();
    const { statement } = this.#statements.get("SELECT last_insert_rowid()");
    statement.step();
    // Read as a number (reading bigints costs sql.js a string round trip); keys past 2^53 again, exactly.
    let [key] = statement.get() as [number | bigint];
    if (!Number.isSafeInteger(key)) [key] = statement.get(null, { useBigInt: true }) as [bigint];
    statement.step(); // to the end, so the statement holds nothing
    return writeResult(changes, key);
  }

  script(text: string): void {
    this.#db.exec(text);
  }

  iterate(text: string, params: readonly unknown[], bigints: boolean): SteppedRows {
    const statement = this.#db.prepare(text);
    try {
      statement.bind(bindable(params));
    } catch (error) {
      statement.free();
      throw error;
    }
    const config = bigints ? { useBigInt: true } : undefined;
    let open = true;
    const close = () => {
      if (open) statement.free();
      open = false;
    };
    const rows: Iterator<unknown[]> = {
      next: () => {
        if (open && statement.step()) return { done: false, value: statement.get(null, config) };
        close();
        return { done: true, value: undefined };
      },
      return: () => {
        close();
        return { done: true, value: undefined };
      },
    };
    return { columns: statement.getColumnNames(), rows };
  }

  /** The database file as bytes (only outside a write transaction). */
  export(): Uint8Array {
    return this.#db.export();
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}
