/**
 * A SQL flavour: quoting, placeholders, capability flags, value codecs, DDL type names,
 * transaction statements and error translation. The core reads flags and calls hooks here; it never
 * asks which database it is talking to.
 * @module
 */
import {
  ActiveRecordError,
  ArgumentError,
  DriverError,
  type DriverErrorInfo,
  type FailedQuery,
  QueryError,
  TransactionError,
} from "../errors.ts";
import type { ColumnKind, ColumnSpec } from "../schema/column.ts";
import type { FieldInfo } from "../schema/schema.ts";
import { type LexRules, STANDARD_SQL } from "../sql/lexer.ts";
import { normalizeTime } from "../schema/normalize.ts";
import { redactDriverError, withoutParams } from "./redact.ts";
import {
  type Decoder,
  DECODERS,
  narrowBigint,
  plainBytes,
  toBytes,
  toDateOnly,
  toJsonText,
} from "./values.ts";

export type { Decoder } from "./values.ts";

/** Transaction isolation levels, weakest first. */
export type IsolationLevel = "read uncommitted" | "read committed" | "repeatable read" | "serializable";

/** Every isolation level, for databases that honour them all. */
export const ALL_ISOLATION_LEVELS: readonly IsolationLevel[] = [
  "read uncommitted",
  "read committed",
  "repeatable read",
  "serializable",
];

/** Options of `transaction()` and `begin()`. */
export interface TransactionOptions {
  /** The isolation level; rejected with `TransactionError` where the database cannot honour it. */
  readonly isolation?: IsolationLevel;
  /** Forbid writes inside the transaction. */
  readonly readOnly?: boolean;
  /** SQLite only: how `BEGIN` takes locks (`"immediate"` by default for writers). */
  readonly behavior?: "deferred" | "immediate" | "exclusive";
}

/**
 * The default compiler. Each database overrides what differs.
 *
 * @example
 * ```ts
 * import { SQLiteDialect } from "@rho/activerecord";
 * const d = new SQLiteDialect();
 * d.quote("users"); // "\"users\""
 * ```
 */
export abstract class Dialect {
  /** A display name, for messages only: the core never branches on it. */
  abstract readonly name: string;
  /** `INSERT ... RETURNING` and `UPDATE ... RETURNING` work. */
  abstract readonly supportsReturning: boolean;
  /** Generated keys come from RETURNING (`"returning"`) or from the driver's last insert id. */
  abstract readonly insertedKeyFrom: "returning" | "lastInsertId";
  /** `SELECT ... FOR UPDATE` locks rows (false: the whole database is locked by writers). */
  abstract readonly supportsRowLocks: boolean;
  /** Isolation levels this database can honour. */
  abstract readonly isolationLevels: readonly IsolationLevel[];
  /** SAVEPOINT works (nested transactions). */
  readonly supportsSavepoints: boolean = true;
  /** Most parameters one statement may carry (IN lists of eager loading are chunked under it). */
  readonly maxParameters: number = 999;
  /** How its SQL text is lexed: where `?` placeholders and `;` separators can stand. */
  readonly lexRules: LexRules = STANDARD_SQL;

  /** Quotes an identifier. */
  quote(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  /** The placeholder for the `position`-th parameter (1-based). */
  placeholder(_position: number): string {
    return "?";
  }

  /**
   * Encodes a parameter for the driver: by its column type when known, otherwise by its JS type.
   * Rejects `undefined` and values no column could hold, before any SQL runs.
   */
  encodeParam(value: unknown, kind: ColumnKind | undefined, position: number): unknown {
    if (value === undefined) {
      throw new ArgumentError(`parameter ${position} is undefined; use null for SQL NULL`);
    }
    if (value === null) return null;
    // Typed values were validated against their column already; raw parameters are checked here.
    if (typeof value === "string") {
      if (kind === undefined) checkText(value, position);
    } else if (typeof value === "bigint") checkInt64(value, position);
    else if (value instanceof Date && Number.isNaN(value.getTime())) {
      throw new ArgumentError(`parameter ${position} is an invalid Date`);
    }
    return kind ? this.encode(kind, value) : this.encodeUntyped(value, position);
  }

  /** Encodes a non-null value for a column of `kind`. */
  encode(kind: ColumnKind, value: unknown): unknown {
    switch (kind) {
      case "boolean":
        return this.booleanValue(value as boolean);
      case "datetime":
        return this.datetimeValue(value as Date);
      case "bigint":
        return typeof value === "bigint" ? value : BigInt(value as number);
      case "decimal":
        return String(value);
      case "date":
        return toDateOnly(value);
      case "time":
        return normalizeTime(value) ?? value;
      case "json":
        return toJsonText(value);
      case "bytes":
        return toBytes(value);
      default:
        return value;
    }
  }

  /** Encodes a non-null value whose column is unknown (raw SQL parameters): objects become JSON text. */
  encodeUntyped(value: unknown, position: number): unknown {
    switch (typeof value) {
      case "string":
      case "number":
      case "bigint":
        return value;
      case "boolean":
        return this.booleanValue(value);
      case "object":
        if (value instanceof Date) return this.datetimeValue(value);
        if (value instanceof Uint8Array || value instanceof ArrayBuffer) return toBytes(value);
        return toJsonText(value);
    }
    throw new ArgumentError(`parameter ${position} is a ${typeof value}, which SQL cannot hold`);
  }

  /** A boolean as the driver binds it (databases without a boolean type take 1/0). */
  protected booleanValue(value: boolean): unknown {
    return value;
  }

  /** A Date as the driver binds it (databases without a zoned type take ISO text). */
  protected datetimeValue(value: Date): unknown {
    return value;
  }

  /** Column kinds whose driver values are already model values, so no decoder runs for them. */
  protected abstract nativeKinds(bigints: boolean): ReadonlySet<ColumnKind>;

  /** The decoder from driver values of a column, or undefined when values need none. */
  decoder(spec: ColumnSpec, bigints: boolean): Decoder | undefined {
    return this.nativeKinds(bigints).has(spec.kind) ? undefined : DECODERS[spec.kind];
  }

  /** Normalizes a value of unknown type read by raw SQL: bigints that fit become numbers, Buffers Uint8Arrays. */
  normalize(value: unknown): unknown {
    if (typeof value === "bigint") return narrowBigint(value);
    if (value instanceof Uint8Array && value.constructor !== Uint8Array) return plainBytes(value);
    return value;
  }

  /**
   * What follows `INSERT ... VALUES (...)` to turn it into an upsert: on a conflict over `conflict`
   * columns, set `update` columns from the proposed row (at least one column is always set, so the
   * statement can return the stored row).
   */
  upsertClause(conflict: readonly string[], update: readonly string[]): string {
    const sets = (update.length ? update : conflict.slice(0, 1))
      .map((column) => `${this.quote(column)} = excluded.${this.quote(column)}`);
    return ` ON CONFLICT (${conflict.map((c) => this.quote(c)).join(", ")}) DO UPDATE SET ${sets.join(", ")}`;
  }

  // DDL ---------------------------------------------------------------------------------------

  /** The column type used in `CREATE TABLE` for `spec`. */
  abstract columnType(spec: ColumnSpec): string;

  /** The whole column definition of a database-generated integer key. */
  abstract autoIncrementColumn(field: FieldInfo): string;

  /** SQL for "now" as a column default of `kind`. */
  abstract nowDefault(kind: ColumnKind): string;

  /** The `DEFAULT ...` part of a column definition (with a leading space), or "". */
  defaultClause(spec: ColumnSpec): string {
    if (spec.defaultNow) return ` DEFAULT ${this.nowDefault(spec.kind)}`;
    if (!spec.hasDefault || typeof spec.default === "function") return ""; // computed per record, client-side
    const value = spec.default === null ? null : this.encode(spec.kind, spec.default);
    return ` DEFAULT ${this.literal(value)}`;
  }

  /** A literal for a constant `DEFAULT` in DDL, from an already-encoded value. */
  literal(value: unknown): string {
    if (value === null) return "NULL";
    if (typeof value === "number" || typeof value === "bigint") return String(value);
    if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
    if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
    throw new ArgumentError(`a default of type ${typeof value} cannot be written into DDL`);
  }

  /** What follows `INSERT INTO t` when no column is given. */
  emptyInsertValues(): string {
    return " DEFAULT VALUES";
  }

  /** Text after the closing parenthesis of `CREATE TABLE` (engine, charset). */
  tableSuffix(): string {
    return "";
  }

  // Transactions ------------------------------------------------------------------------------

  /** Statements that open a transaction with `options`; throws when they cannot be honoured. */
  beginStatements(options: TransactionOptions): string[] {
    this.checkTransactionOptions(options);
    const modes: string[] = [];
    if (options.isolation) modes.push(`ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
    if (options.readOnly) modes.push("READ ONLY");
    return [modes.length ? `BEGIN ${modes.join(", ")}` : "BEGIN"];
  }

  /** Statements run on the connection after the transaction ends (either way). */
  afterEndStatements(_options: TransactionOptions): string[] {
    return [];
  }

  /** Rejects options the database cannot honour, with a message that says what can be used. */
  checkTransactionOptions(options: TransactionOptions): void {
    const { isolation } = options;
    if (isolation && !this.isolationLevels.includes(isolation)) {
      throw new TransactionError(
        `${this.name} cannot honour isolation level "${isolation}"; supported: ${
          this.isolationLevels.map((l) => `"${l}"`).join(", ")
        }`,
      );
    }
    if (options.behavior) {
      throw new TransactionError(`the "behavior" option is SQLite's; ${this.name} does not have it`);
    }
  }

  /** `SAVEPOINT name`. */
  savepoint(name: string): string {
    return `SAVEPOINT ${this.quote(name)}`;
  }

  /** `RELEASE SAVEPOINT name`. */
  releaseSavepoint(name: string): string {
    return `RELEASE SAVEPOINT ${this.quote(name)}`;
  }

  /** `ROLLBACK TO SAVEPOINT name`. */
  rollbackToSavepoint(name: string): string {
    return `ROLLBACK TO SAVEPOINT ${this.quote(name)}`;
  }

  // Queries -----------------------------------------------------------------------------------

  /** The `LIMIT/OFFSET` clause (with a leading space), or "" when neither is set. */
  limitClause(limit: number | undefined, offset: number | undefined): string {
    let clause = "";
    if (limit !== undefined) clause += ` LIMIT ${limit}`;
    if (offset !== undefined) clause += ` OFFSET ${offset}`;
    return clause;
  }

  // Errors ------------------------------------------------------------------------------------

  /**
   * Translates a backend's error into the error tree. A `DriverError` is classified by its codes; the
   * driver's own error becomes the `cause`, made safe to print first (values cut from its message,
   * value-bearing fields hidden). An `ActiveRecordError` (a backend's `ConnectionError`) passes.
   */
  translateError(error: unknown, query: FailedQuery | undefined): ActiveRecordError {
    if (error instanceof ActiveRecordError) return error;
    const params = query?.params ?? [];
    const normalised = error instanceof DriverError ? error : undefined;
    const info: DriverErrorInfo = normalised ?? {};
    const strip = (message: string) => this.stripValues(message, info);
    const cause = normalised?.cause ?? error;
    const safe = redactDriverError(cause, params, strip);
    const message = normalised ? strip(withoutParams(normalised.message, params)) : safe;
    return this.classifyError(info, `${this.name}: ${message}`, query, { cause }) ??
      new QueryError(`${this.name}: ${message}`, query, { cause });
  }

  /** Removes values the database quotes in `message` that are not among the parameters. */
  protected stripValues(message: string, _info: DriverErrorInfo): string {
    return message;
  }

  /**
   * The error-tree class for a driver error, from its codes (SQLSTATE, server errno, SQLite result
   * code) and its value-free message; undefined falls back to `QueryError`.
   */
  protected abstract classifyError(
    info: DriverErrorInfo,
    message: string,
    query: FailedQuery | undefined,
    options: ErrorOptions,
  ): ActiveRecordError | undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Strings every database stores as given: no NUL characters (PostgreSQL refuses them, some SQLite drivers
 * cut text at them) and no lone surrogates (drivers turn them into U+FFFD).
 */
function checkText(value: string, position: number): void {
  if (value.includes("\0")) {
    throw new ArgumentError(`parameter ${position} holds a NUL character, which not every database stores`);
  }
  if (!value.isWellFormed()) {
    throw new ArgumentError(`parameter ${position} is not well-formed Unicode (a lone surrogate)`);
  }
}

/** 64-bit integers only: beyond, one database refuses, another rounds, another stores text. */
function checkInt64(value: bigint, position: number): void {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new ArgumentError(`parameter ${position} is a bigint beyond the 64-bit range`);
  }
}
