/**
 * SQLite, whatever the driver (node:sqlite, better-sqlite3, @db/sqlite, sql.js). Errors are read from
 * SQLite's own messages, which every driver passes on.
 * @module
 */
import {
  type ActiveRecordError,
  ArgumentError,
  CheckViolationError,
  ConnectionError,
  type FailedQuery,
  ForeignKeyViolationError,
  LockTimeoutError,
  NotNullViolationError,
  QueryError,
  TransactionError,
  UniqueViolationError,
} from "../errors.ts";
import type { ColumnKind, ColumnSpec } from "../model/column.ts";
import type { FieldInfo } from "../model/schema.ts";
import { type Decoder, Dialect, type IsolationLevel, messageOf, type TransactionOptions } from "./dialect.ts";
import { narrowBigint, parseUtcDatetime, toBytes, toDateOnly, toJsonText } from "./values.ts";

const TYPES: Record<ColumnKind, string> = {
  integer: "INTEGER",
  bigint: "INTEGER",
  real: "REAL",
  decimal: "TEXT", // TEXT affinity keeps every digit; NUMERIC would round through a double
  text: "TEXT",
  boolean: "INTEGER",
  datetime: "TEXT",
  date: "TEXT",
  json: "TEXT",
  bytes: "BLOB",
  uuid: "TEXT",
};

const toNumber: Decoder = (v) => typeof v === "bigint" ? Number(v) : v;
const DECODERS: Partial<Record<ColumnKind, Decoder>> = {
  bigint: (v) => typeof v === "number" ? BigInt(v) : v,
  decimal: (v) => typeof v === "number" || typeof v === "bigint" ? String(v) : v,
  boolean: (v) => v === null ? v : Number(v) !== 0,
  datetime: (v) => typeof v === "string" ? parseUtcDatetime(v) : typeof v === "number" ? new Date(v) : v,
  json: (v) => typeof v === "string" ? JSON.parse(v) : v,
};

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
  readonly name = "SQLite";
  readonly supportsReturning = true;
  readonly insertedKeyFrom = "lastInsertId";
  readonly supportsRowLocks = false;
  readonly isolationLevels: readonly IsolationLevel[] = ["serializable"];

  encode(kind: ColumnKind, value: unknown): unknown {
    switch (kind) {
      case "boolean":
        return value ? 1 : 0;
      case "datetime":
        return (value as Date).toISOString();
      case "date":
        return toDateOnly(value);
      case "json":
        return toJsonText(value);
      case "bytes":
        return toBytes(value);
      case "decimal":
        return String(value);
      default:
        return value;
    }
  }

  encodeUntyped(value: unknown, position: number): unknown {
    switch (typeof value) {
      case "string":
      case "number":
      case "bigint":
        return value;
      case "boolean":
        return value ? 1 : 0;
      case "object":
        if (value instanceof Date) return value.toISOString();
        if (value instanceof Uint8Array || value instanceof ArrayBuffer) return toBytes(value);
        return toJsonText(value);
    }
    throw new ArgumentError(`parameter ${position} is a ${typeof value}, which SQL cannot hold`);
  }

  decoder(kind: ColumnKind, bigints: boolean): Decoder | undefined {
    if (bigints && (kind === "integer" || kind === "real")) return toNumber;
    return DECODERS[kind];
  }

  normalize(value: unknown): unknown {
    return typeof value === "bigint" ? narrowBigint(value) : value;
  }

  columnType(spec: ColumnSpec): string {
    return TYPES[spec.kind];
  }

  autoIncrementColumn(field: FieldInfo): string {
    return `${this.quote(field.column)} INTEGER PRIMARY KEY AUTOINCREMENT`;
  }

  nowDefault(kind: ColumnKind): string {
    return kind === "date" ? "(date('now'))" : "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  }

  override literal(value: unknown): string {
    return typeof value === "boolean" ? (value ? "1" : "0") : super.literal(value);
  }

  override beginStatements(options: TransactionOptions): string[] {
    this.checkTransactionOptions(options);
    const behavior = options.behavior ?? (options.readOnly ? "deferred" : "immediate");
    const begin = `BEGIN ${behavior.toUpperCase()}`;
    return options.readOnly ? [begin, "PRAGMA query_only = ON"] : [begin];
  }

  override afterEndStatements(options: TransactionOptions): string[] {
    return options.readOnly ? ["PRAGMA query_only = OFF"] : [];
  }

  override checkTransactionOptions(options: TransactionOptions): void {
    const { behavior, ...rest } = options;
    super.checkTransactionOptions(rest);
    if (behavior && !["deferred", "immediate", "exclusive"].includes(behavior)) {
      throw new TransactionError(`unknown SQLite transaction behavior "${behavior}"`);
    }
  }

  override limitClause(limit: number | undefined, offset: number | undefined): string {
    // SQLite accepts OFFSET only after LIMIT; -1 means "no limit".
    if (offset !== undefined && limit === undefined) return ` LIMIT -1 OFFSET ${offset}`;
    return super.limitClause(limit, offset);
  }

  protected classifyError(error: unknown, query: FailedQuery | undefined): ActiveRecordError | undefined {
    const message = messageOf(error);
    const options = { cause: error };
    const constraint = /(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?::\s*(.+))?/.exec(message);
    if (constraint) {
      const [, kind, detail = ""] = constraint;
      const [table, column] = /^(\w+)\.(\w+)/.exec(detail)?.slice(1) ?? [];
      const info = { table, column, constraint: kind === "CHECK" ? detail || undefined : undefined };
      const text = `SQLite: ${message}`;
      if (kind === "UNIQUE") return new UniqueViolationError(text, query, info, options);
      if (kind === "NOT NULL") return new NotNullViolationError(text, query, info, options);
      if (kind === "CHECK") return new CheckViolationError(text, query, info, options);
      return new ForeignKeyViolationError(text, query, info, options);
    }
    if (/database (table )?is locked|SQLITE_BUSY|SQLITE_LOCKED/i.test(message)) {
      return new LockTimeoutError(`SQLite: ${message}`, query, options);
    }
    if (/database (is not open|connection is not open|is closed)|closed database/i.test(message)) {
      return new ConnectionError(`SQLite: ${message}`, query, options);
    }
    if (/no such table|no such column|syntax error|near "|readonly database|has no column/i.test(message)) {
      return new QueryError(`SQLite: ${message}`, query, options);
    }
    return undefined;
  }
}
