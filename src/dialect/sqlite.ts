/**
 * SQLite, whatever the driver. Errors are classified by SQLite's result codes, which the backend reads
 * from its driver.
 * @module
 */
import {
  type ActiveRecordError,
  CheckViolationError,
  ConnectionError,
  type DriverErrorInfo,
  type FailedQuery,
  ForeignKeyViolationError,
  LockTimeoutError,
  NotNullViolationError,
  TransactionError,
  UniqueViolationError,
} from "../errors.ts";
import type { ColumnKind, ColumnSpec } from "../schema/column.ts";
import type { FieldInfo } from "../schema/schema.ts";
import { type LexRules, STANDARD_SQL } from "../sql/lexer.ts";
import { type Decoder, Dialect, type IsolationLevel, type TransactionOptions } from "./dialect.ts";
import { SQLiteSchemaSql } from "./sqlite_schema.ts";
import { isoString } from "./values.ts";

const TYPES: Record<ColumnKind, string> = {
  integer: "INTEGER",
  bigint: "INTEGER",
  real: "REAL",
  decimal: "TEXT", // see columnType: TEXT keeps every digit of decimals too wide for a double
  text: "TEXT",
  boolean: "INTEGER",
  datetime: "TEXT",
  date: "TEXT",
  time: "TEXT",
  json: "TEXT",
  bytes: "BLOB",
  uuid: "TEXT",
};

const SQLITE_LEX: LexRules = { ...STANDARD_SQL, quotes: "'\"`", bracketNames: true };

const NATIVE: ReadonlySet<ColumnKind> = new Set(["integer", "real", "text", "date", "uuid"]);
const NATIVE_EXACT: ReadonlySet<ColumnKind> = new Set(["text", "date", "uuid"]);

function isNumericDecimal(spec: ColumnSpec): boolean {
  return spec.kind === "decimal" && spec.precision !== undefined && spec.precision <= 15;
}

/** Decimals read back as strings: numbers (NUMERIC affinity) are printed with the column's scale. */
function decimalDecoder(spec: ColumnSpec): Decoder {
  const scale = isNumericDecimal(spec) ? spec.scale ?? 0 : undefined;
  return (v) => {
    if (typeof v === "bigint") v = Number(v);
    if (typeof v !== "number") return v;
    return scale === undefined ? String(v) : v.toFixed(scale);
  };
}

/**
 * The SQLite dialect. Transactions are serializable; `readOnly` is enforced with `PRAGMA query_only`.
 *
 * @example
 * ```ts
 * import { SQLiteDialect } from "@rho/activerecord";
 * new SQLiteDialect().beginStatements({ behavior: "immediate" }); // ["BEGIN IMMEDIATE"]
 * ```
 */
export class SQLiteDialect extends Dialect {
  /** Schema changes, introspection and migration rules. */
  readonly schemaSql: SQLiteSchemaSql = new SQLiteSchemaSql(this);
  /** "SQLite". */
  readonly name = "SQLite";
  /** RETURNING works (3.35+). */
  readonly supportsReturning = true;
  /** Drivers report the rowid of inserts, which is cheaper than RETURNING. */
  readonly insertedKeyFrom = "lastInsertId";
  /** No row locks: a writing transaction locks the database. */
  readonly supportsRowLocks = false;
  /** SQLite transactions are serializable. */
  readonly isolationLevels: readonly IsolationLevel[] = ["serializable"];
  /** Standard quoting, plus `` `names` `` and `[names]`; no backslash escapes. */
  override readonly lexRules: LexRules = SQLITE_LEX;
  /** SQLite >= 3.32 (every supported driver bundles a newer one). */
  override readonly maxParameters = 32766;

  /** Booleans as 1/0 (SQLite has no boolean type). */
  protected override booleanValue(value: boolean): unknown {
    return value ? 1 : 0;
  }

  /** Datetimes as UTC ISO-8601 text, which sorts and compares correctly. */
  protected override datetimeValue(value: Date): unknown {
    return isoString(value);
  }

  /** Numbers and text come back as they are; with exact 64-bit reads, integers arrive as bigints. */
  protected nativeKinds(bigints: boolean): ReadonlySet<ColumnKind> {
    return bigints ? NATIVE_EXACT : NATIVE;
  }

  /** Decimals stored as numbers are printed with their scale; the rest as the base decodes them. */
  override decoder(spec: ColumnSpec, bigints: boolean): Decoder | undefined {
    return spec.kind === "decimal" ? decimalDecoder(spec) : super.decoder(spec, bigints);
  }

  /**
   * Decimals of up to 15 digits use NUMERIC affinity, so they sort and compare as numbers and still
   * read back exactly (a double keeps 15 significant digits). Wider ones, or ones without a
   * precision, are stored as TEXT so that no digit is lost.
   */
  columnType(spec: ColumnSpec): string {
    if (isNumericDecimal(spec)) return `NUMERIC(${spec.precision}, ${spec.scale ?? 0})`;
    return TYPES[spec.kind];
  }

  /** `INTEGER PRIMARY KEY AUTOINCREMENT`: keys are never reused. */
  autoIncrementColumn(field: FieldInfo): string {
    return `${this.quote(field.column)} INTEGER PRIMARY KEY AUTOINCREMENT`;
  }

  /** UTC ISO text with milliseconds, or the date. */
  nowDefault(kind: ColumnKind): string {
    return kind === "date" ? "(date('now'))" : "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  }

  /** Booleans as 1/0. */
  override literal(value: unknown): string {
    return typeof value === "boolean" ? (value ? "1" : "0") : super.literal(value);
  }

  /** `BEGIN IMMEDIATE` for writers (avoids lock upgrades that fail), DEFERRED for readers. */
  override beginStatements(options: TransactionOptions): string[] {
    this.checkTransactionOptions(options);
    const behavior = options.behavior ?? (options.readOnly ? "deferred" : "immediate");
    const begin = `BEGIN ${behavior.toUpperCase()}`;
    return options.readOnly ? [begin, "PRAGMA query_only = ON"] : [begin];
  }

  /** Lifts `query_only` after a read-only transaction. */
  override afterEndStatements(options: TransactionOptions): string[] {
    return options.readOnly ? ["PRAGMA query_only = OFF"] : [];
  }

  /** Also accepts SQLite's `behavior`. */
  override checkTransactionOptions(options: TransactionOptions): void {
    const { behavior, ...rest } = options;
    super.checkTransactionOptions(rest);
    if (behavior && !["deferred", "immediate", "exclusive"].includes(behavior)) {
      throw new TransactionError(`unknown SQLite transaction behavior "${behavior}"`);
    }
  }

  /** SQLite needs a LIMIT before OFFSET. */
  override limitClause(limit: number | undefined, offset: number | undefined): string {
    // SQLite accepts OFFSET only after LIMIT; -1 means "no limit".
    if (offset !== undefined && limit === undefined) return ` LIMIT -1 OFFSET ${offset}`;
    return super.limitClause(limit, offset);
  }

  /**
   * By SQLite's result code (the backend reads it from the driver, or from SQLite's message, which
   * every driver passes on).
   */
  protected classifyError(
    info: DriverErrorInfo,
    message: string,
    query: FailedQuery | undefined,
    options: ErrorOptions,
  ): ActiveRecordError | undefined {
    const code = info.code ?? "";
    const constraint = { table: info.table, column: info.column, constraint: info.constraint };
    switch (code) {
      case "SQLITE_CONSTRAINT_UNIQUE":
      case "SQLITE_CONSTRAINT_PRIMARYKEY":
        return new UniqueViolationError(message, query, constraint, options);
      case "SQLITE_CONSTRAINT_NOTNULL":
        return new NotNullViolationError(message, query, constraint, options);
      case "SQLITE_CONSTRAINT_CHECK":
        return new CheckViolationError(message, query, constraint, options);
      case "SQLITE_CONSTRAINT_FOREIGNKEY":
        return new ForeignKeyViolationError(message, query, constraint, options);
      case "SQLITE_NOTADB":
      case "SQLITE_CANTOPEN":
        return new ConnectionError(message, query, options);
    }
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
      return new LockTimeoutError(message, query, options);
    }
    return undefined;
  }
}
