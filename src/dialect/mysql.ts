/**
 * MySQL and MariaDB. Errors are read from server error numbers; messages that quote rejected values
 * (duplicate entries, bad values) are rewritten without them.
 * @module
 */
import {
  type ActiveRecordError,
  CheckViolationError,
  ConnectionError,
  type ConstraintInfo,
  DeadlockError,
  type DriverErrorInfo,
  type FailedQuery,
  ForeignKeyViolationError,
  LockTimeoutError,
  NotNullViolationError,
  QueryCanceledError,
  UniqueViolationError,
} from "../errors.ts";
import type { ColumnKind, ColumnSpec } from "../schema/column.ts";
import type { FieldInfo } from "../schema/schema.ts";
import { type LexRules, STANDARD_SQL } from "../sql/lexer.ts";
import { ALL_ISOLATION_LEVELS, Dialect, type IsolationLevel, type TransactionOptions } from "./dialect.ts";
import { MySQLSchemaSql } from "./mysql_schema.ts";

/** utf8mb4 VARCHAR holds at most 16,383 characters; longer limits use LONGTEXT. */
const MAX_VARCHAR = 16383;

const MYSQL_LEX: LexRules = { ...STANDARD_SQL, quotes: "'\"`", backslashEscapes: true, hashComments: true };

const NATIVE: ReadonlySet<ColumnKind> = new Set([
  "integer",
  "real",
  "decimal",
  "text",
  "datetime",
  "date",
  "uuid",
]);

/** The table a statement writes to, read from its text (`INSERT INTO `t``, `UPDATE `t``, `DELETE FROM `t``). */
function tableOf(sql: string | undefined): string | undefined {
  return sql
    ? /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+`?(\w+)`?/i.exec(sql)?.[1]
    : undefined;
}

/** `` (`db`.`table`, CONSTRAINT `name` FOREIGN KEY (`col`) ... `` → table, constraint, column. */
function foreignKeyInfo(message: string): ConstraintInfo {
  const match = /\(`[^`]*`\.`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(`([^`]+)`/.exec(message);
  return match ? { table: match[1], constraint: match[2], column: match[3] } : {};
}

/**
 * The MySQL / MariaDB dialect: backticks, `?` placeholders, keys from the insert id, upserts as
 * `ON DUPLICATE KEY UPDATE`, InnoDB tables in utf8mb4 with binary (case-sensitive) collation.
 *
 * @example
 * ```ts
 * import { MySQLDialect } from "@rho/activerecord";
 * new MySQLDialect().quote("users"); // "`users`"
 * ```
 */
export class MySQLDialect extends Dialect {
  /** Schema changes, introspection and migration rules. */
  readonly schemaSql: MySQLSchemaSql = new MySQLSchemaSql(this);
  /** "MySQL". */
  readonly name = "MySQL";
  /** No RETURNING (MySQL has none; MariaDB's is not used, to serve both). */
  readonly supportsReturning = false;
  /** Generated keys come from the driver's insert id. */
  readonly insertedKeyFrom = "lastInsertId";
  /** `FOR UPDATE` locks rows (InnoDB). */
  readonly supportsRowLocks = true;
  /** All four levels. */
  readonly isolationLevels: readonly IsolationLevel[] = ALL_ISOLATION_LEVELS;
  /** `'` and `"` strings with backslash escapes, `` `names` ``, `#` comments. */
  override readonly lexRules: LexRules = MYSQL_LEX;
  /** The protocol counts parameters in 16 bits. */
  override readonly maxParameters = 65535;

  /** Backticks. */
  override quote(name: string): string {
    return `\`${name.replaceAll("`", "``")}\``;
  }

  /** Booleans as 1/0 (TINYINT(1)). */
  protected override booleanValue(value: boolean): unknown {
    return value ? 1 : 0;
  }

  /** The backend reads these in final form (exact BIGINTs, DATE as text). */
  protected nativeKinds(): ReadonlySet<ColumnKind> {
    return NATIVE;
  }

  /**
   * MySQL column types. Text that is unique or a key needs a length, so it is VARCHAR(255) unless
   * `maxLength` says otherwise; decimals without a precision are text, so no digit is lost.
   */
  columnType(spec: ColumnSpec): string {
    switch (spec.kind) {
      case "integer":
      case "bigint":
        return "BIGINT";
      case "real":
        return "DOUBLE";
      case "decimal":
        return spec.precision === undefined ? "LONGTEXT" : `DECIMAL(${spec.precision}, ${spec.scale ?? 0})`;
      case "text": {
        const length = spec.maxLength ?? (spec.unique || spec.primaryKey ? 255 : undefined);
        return length !== undefined && length <= MAX_VARCHAR ? `VARCHAR(${length})` : "LONGTEXT";
      }
      case "boolean":
        return "TINYINT(1)";
      case "datetime":
        return "DATETIME(6)";
      case "date":
        return "DATE";
      case "time":
        return "TIME(6)";
      case "json":
        return "JSON";
      case "bytes":
        return "LONGBLOB";
      case "uuid":
        return "CHAR(36)";
    }
  }

  /** `BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY`. */
  autoIncrementColumn(field: FieldInfo): string {
    return `${this.quote(field.column)} BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY`;
  }

  /** `CURRENT_TIMESTAMP(6)` (the session runs in UTC) / `(CURRENT_DATE)`. */
  nowDefault(kind: ColumnKind): string {
    return kind === "date" ? "(CURRENT_DATE)" : "CURRENT_TIMESTAMP(6)";
  }

  /** Text, JSON and blob columns take defaults only as expressions: `DEFAULT ('...')`. */
  override defaultClause(spec: ColumnSpec): string {
    const clause = super.defaultClause(spec);
    const expressionOnly = spec.kind === "json" ||
      (spec.kind === "text" && this.columnType(spec) === "LONGTEXT") ||
      spec.kind === "bytes" || (spec.kind === "decimal" && spec.precision === undefined);
    return expressionOnly && clause.startsWith(" DEFAULT '") ? ` DEFAULT (${clause.slice(9)})` : clause;
  }

  /** Booleans as 1/0; quotes and backslashes escaped. */
  override literal(value: unknown): string {
    if (typeof value === "boolean") return value ? "1" : "0";
    if (typeof value === "string") return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
    return super.literal(value);
  }

  /** InnoDB, utf8mb4, binary collation (comparisons are case-sensitive, as on the other databases). */
  override tableSuffix(): string {
    return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }

  /** `() VALUES ()`. */
  override emptyInsertValues(): string {
    return " () VALUES ()";
  }

  /**
   * `ON DUPLICATE KEY UPDATE col = VALUES(col)`. MySQL has no conflict target: any unique key that
   * collides turns the insert into the update.
   */
  override upsertClause(conflict: readonly string[], update: readonly string[]): string {
    const sets = (update.length ? update : conflict.slice(0, 1))
      .map((column) => `${this.quote(column)} = VALUES(${this.quote(column)})`);
    return ` ON DUPLICATE KEY UPDATE ${sets.join(", ")}`;
  }

  /** MySQL needs a LIMIT before OFFSET: the largest one stands for "no limit". */
  override limitClause(limit: number | undefined, offset: number | undefined): string {
    if (offset !== undefined && limit === undefined) return ` LIMIT 18446744073709551615 OFFSET ${offset}`;
    return super.limitClause(limit, offset);
  }

  /** Isolation and access mode are set for the next transaction, then it starts. */
  override beginStatements(options: TransactionOptions): string[] {
    this.checkTransactionOptions(options);
    const statements: string[] = [];
    if (options.isolation) {
      statements.push(`SET TRANSACTION ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
    }
    statements.push(options.readOnly ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
    return statements;
  }

  /** Data errors quote the rejected value ("Incorrect integer value: 'abc' for column ..."): it goes. */
  protected override stripValues(message: string, _info: DriverErrorInfo): string {
    return message.replace(/value: '(?:[^'\\]|\\.|'')*'/gi, "value").replace(
      /entry '(?:[^'\\]|\\.|'')*'/gi,
      "entry",
    );
  }

  /**
   * By the server's error number. Messages are the server's own: the key of a duplicate and the
   * constraint of a foreign key are read from them (values never are).
   */
  protected classifyError(
    info: DriverErrorInfo,
    message: string,
    query: FailedQuery | undefined,
    options: ErrorOptions,
  ): ActiveRecordError | undefined {
    const { errno } = info;
    if (errno === undefined) return undefined;
    const table = tableOf(query?.sql);
    switch (errno) {
      case 1062: { // Duplicate entry 'value' for key 'name': keep the key, drop the value
        const key = /for key '([^']+)'/.exec(message)?.[1];
        const column = key?.split(".").pop();
        return new UniqueViolationError(
          `MySQL: duplicate entry for key '${key ?? "?"}'`,
          query,
          { table, column: column === "PRIMARY" ? undefined : column, constraint: key },
          options,
        );
      }
      case 1451:
      case 1452:
        return new ForeignKeyViolationError(message, query, foreignKeyInfo(message), options);
      case 1048:
      case 1364: {
        const column = /(?:Column|Field) '([^']+)'/.exec(message)?.[1];
        return new NotNullViolationError(message, query, { table, column }, options);
      }
      case 3819:
      case 4025: {
        const constraint = /(?:constraint|CONSTRAINT) [`']([^`']+)[`']/.exec(message)?.[1];
        return new CheckViolationError(message, query, { table, constraint }, options);
      }
      case 1213:
        return new DeadlockError(message, query, options);
      case 1317: // query execution was interrupted (KILL QUERY)
      case 1969: // MariaDB: max_statement_time exceeded
      case 3024: // MySQL: max_execution_time exceeded
        return new QueryCanceledError(message, query, options);
      case 1205:
      case 3572:
        return new LockTimeoutError(message, query, options);
      case 1045: // access denied
      case 1049: // unknown database
      case 1040: // too many connections
      case 2006: // server has gone away
      case 2013: // lost connection during query
        return new ConnectionError(message, query, options);
    }
    return undefined;
  }
}
