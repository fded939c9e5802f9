/**
 * PostgreSQL. Errors are read from SQLSTATE codes and the fields PostgreSQL reports (table, column,
 * constraint), under the names both postgres.js and node-postgres use.
 * @module
 */
import {
  type ActiveRecordError,
  ArgumentError,
  CheckViolationError,
  ConnectionError,
  DeadlockError,
  type FailedQuery,
  ForeignKeyViolationError,
  LockTimeoutError,
  NotNullViolationError,
  QueryError,
  SerializationError,
  UniqueViolationError,
} from "../errors.ts";
import type { ColumnKind, ColumnSpec } from "../model/column.ts";
import type { FieldInfo } from "../model/schema.ts";
import { type Decoder, Dialect, isConnectionFailure, type IsolationLevel, messageOf } from "./dialect.ts";
import { narrowBigint, plainBytes, toBytes, toDateOnly, toJsonText } from "./values.ts";

const toNumber: Decoder = (v) => typeof v === "bigint" || typeof v === "string" ? Number(v) : v;
const DECODERS: Partial<Record<ColumnKind, Decoder>> = {
  integer: toNumber,
  real: toNumber,
  bigint: (v) => typeof v === "bigint" ? v : BigInt(v as string),
  decimal: (v) => typeof v === "string" ? v : String(v),
  date: (v) => typeof v === "string" ? v : toDateOnly(v),
  datetime: (v) => v instanceof Date ? v : new Date(v as string),
  json: (v) => typeof v === "string" ? JSON.parse(v) : v,
  bytes: plainBytes,
};

/** What PostgreSQL errors carry, under postgres.js and node-postgres names. */
interface PgErrorFields {
  readonly code?: string;
  readonly table_name?: string;
  readonly table?: string;
  readonly column_name?: string;
  readonly column?: string;
  readonly constraint_name?: string;
  readonly constraint?: string;
  readonly detail?: string;
}

/** `Key (user_id)=(404) ...` → `user_id` (the names only; the values are never kept). */
function keyColumn(detail: string | undefined): string | undefined {
  return detail ? /^Key \(([^)]+?)\)=/.exec(detail)?.[1]?.split(",")[0]?.trim().replace(/"/g, "") : undefined;
}

/**
 * Data errors (SQLSTATE class 22) quote the rejected value (`value "9007199254740991" is out of
 * range`, `invalid input syntax for type integer: "abc"`): drop every quoted part of those.
 */
function withoutValues(message: string, code: string): string {
  if (!code.startsWith("22")) return message;
  return message.replace(/\s*"(?:[^"]|"")*"/g, "").replace(/:\s*$/, "");
}

/**
 * The PostgreSQL dialect: `$n` placeholders, RETURNING, identity keys, jsonb, bytea, numeric,
 * timestamptz.
 *
 * @example
 * ```ts
 * import { PostgresDialect } from "@rho/activerecord";
 * new PostgresDialect().placeholder(2); // "$2"
 * ```
 */
export class PostgresDialect extends Dialect {
  /** "PostgreSQL". */
  readonly name = "PostgreSQL";
  /** RETURNING works. */
  readonly supportsReturning = true;
  /** Generated keys come from RETURNING. */
  readonly insertedKeyFrom = "returning";
  /** `FOR UPDATE` locks rows. */
  readonly supportsRowLocks = true;
  /** All four levels (read uncommitted behaves as read committed, which the standard allows). */
  readonly isolationLevels: readonly IsolationLevel[] = [
    "read uncommitted",
    "read committed",
    "repeatable read",
    "serializable",
  ];

  /** `$1`, `$2`, ... */
  override placeholder(position: number): string {
    return `$${position}`;
  }

  /** Values as the driver sends them; JSON as text (the column's type converts it). */
  encode(kind: ColumnKind, value: unknown): unknown {
    switch (kind) {
      case "bigint":
        return typeof value === "bigint" ? value : BigInt(value as number);
      case "decimal":
        return String(value);
      case "date":
        return toDateOnly(value);
      case "json":
        return toJsonText(value);
      case "bytes":
        return toBytes(value);
      default:
        return value;
    }
  }

  /** Raw parameters: objects as JSON text, the rest as given. */
  encodeUntyped(value: unknown, position: number): unknown {
    switch (typeof value) {
      case "string":
      case "number":
      case "bigint":
      case "boolean":
        return value;
      case "object":
        if (value instanceof Date || value instanceof Uint8Array) return value;
        if (value instanceof ArrayBuffer) return toBytes(value);
        return toJsonText(value);
    }
    throw new ArgumentError(`parameter ${position} is a ${typeof value}, which SQL cannot hold`);
  }

  /** Decoders for int8, numeric, date, json and bytea as the driver returns them. */
  decoder(spec: ColumnSpec): Decoder | undefined {
    return DECODERS[spec.kind];
  }

  /** Bigints that fit a number become numbers; Buffers become Uint8Arrays. */
  normalize(value: unknown): unknown {
    if (typeof value === "bigint") return narrowBigint(value);
    if (value instanceof Uint8Array && value.constructor !== Uint8Array) return plainBytes(value);
    return value;
  }

  /** PostgreSQL column types. */
  columnType(spec: ColumnSpec): string {
    switch (spec.kind) {
      case "integer": // integers hold any safe JS integer (53 bits): INTEGER would stop at 2^31
      case "bigint":
        return "BIGINT";
      case "real":
        return "DOUBLE PRECISION";
      case "decimal":
        return spec.precision === undefined ? "NUMERIC" : `NUMERIC(${spec.precision}, ${spec.scale ?? 0})`;
      case "text":
        return spec.maxLength === undefined ? "TEXT" : `VARCHAR(${spec.maxLength})`;
      case "boolean":
        return "BOOLEAN";
      case "datetime":
        return "TIMESTAMPTZ";
      case "date":
        return "DATE";
      case "json":
        return "JSONB";
      case "bytes":
        return "BYTEA";
      case "uuid":
        return "UUID";
    }
  }

  /** `BIGINT GENERATED BY DEFAULT AS IDENTITY`: explicit keys may still be given. */
  autoIncrementColumn(field: FieldInfo): string {
    return `${this.quote(field.column)} BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`;
  }

  /** `CURRENT_TIMESTAMP` / `CURRENT_DATE`. */
  nowDefault(kind: ColumnKind): string {
    return kind === "date" ? "CURRENT_DATE" : "CURRENT_TIMESTAMP";
  }

  /** Reads SQLSTATE codes; network failures are connection errors. */
  protected classifyError(error: unknown, query: FailedQuery | undefined): ActiveRecordError | undefined {
    const options = { cause: error };
    if (isConnectionFailure(error)) {
      return new ConnectionError(`PostgreSQL: ${messageOf(error)}`, query, options);
    }
    const fields = (error ?? {}) as PgErrorFields;
    const code = fields.code;
    if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
    const message = `PostgreSQL: ${withoutValues(messageOf(error), code)}`;
    const info = {
      table: fields.table_name ?? fields.table,
      column: fields.column_name ?? fields.column ?? keyColumn(fields.detail),
      constraint: fields.constraint_name ?? fields.constraint,
    };
    switch (code) {
      case "23505":
        return new UniqueViolationError(message, query, info, options);
      case "23503":
        return new ForeignKeyViolationError(message, query, info, options);
      case "23502":
        return new NotNullViolationError(message, query, info, options);
      case "23514":
        return new CheckViolationError(message, query, info, options);
      case "40P01":
        return new DeadlockError(message, query, options);
      case "40001":
        return new SerializationError(message, query, options);
      case "55P03":
        return new LockTimeoutError(message, query, options);
    }
    // 08: connection exceptions, 28: authentication, 3D000: no such database, 57P0x: shutdown, 53300: too many
    if (/^(08|28)/.test(code) || ["3D000", "57P01", "57P02", "57P03", "53300"].includes(code)) {
      return new ConnectionError(message, query, options);
    }
    return new QueryError(message, query, options);
  }
}
