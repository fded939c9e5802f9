/**
 * The error tree. Every backend translates its driver's errors into these classes and keeps the
 * original as `cause`. Messages name tables and columns; they never print parameter values.
 *
 * @example
 * ```ts
 * import { UniqueViolationError } from "@rho/activerecord";
 * try {
 *   User.create({ name: "Ann", email: "taken@example.com" });
 * } catch (e) {
 *   if (e instanceof UniqueViolationError) console.log(e.table, e.column);
 * }
 * ```
 * @module
 */

/**
 * Base class of every error this library throws.
 *
 * @example
 * ```ts
 * try { User.findOneOrFail(1); } catch (e) { if (e instanceof ActiveRecordError) console.log(e.message); }
 * ```
 */
export class ActiveRecordError extends Error {
  /** Creates the error; `options.cause` keeps the underlying error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where a failed statement came from: its SQL text and parameters. */
export interface FailedQuery {
  /** The SQL text as sent to the database. */
  readonly sql: string;
  /** The parameters as sent (kept for debugging; never printed). */
  readonly params: readonly unknown[];
}

/**
 * A parameter as errors and query events show it: its type, never its value.
 *
 * @example
 * ```ts
 * redactedParam("secret"); // "[string]"
 * ```
 */
export function redactedParam(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return "[bytes]";
  return `[${value instanceof Date ? "date" : typeof value}]`;
}

/**
 * An error reported by the database or its driver. It prints no parameter values: `params` shows
 * their types, and `paramValues()` returns them when you ask on purpose. The driver's error is the
 * `cause`, its message cut of the values too (fields such as PostgreSQL's `detail` stay readable on
 * it, but are not printed).
 *
 * @example
 * ```ts
 * try { db.execute("select nope"); } catch (e) {
 *   if (e instanceof DatabaseError) console.log(e.sql, e.params); // "select nope", []
 * }
 * ```
 */
export class DatabaseError extends ActiveRecordError {
  /** The SQL text of the failed statement ("" when none was running); values are never in it. */
  readonly sql: string;
  /** The parameters of the failed statement, redacted to their types (`["[string]", "[number]"]`). */
  readonly params: readonly (string | null)[];
  readonly #values: readonly unknown[];

  /** Creates the error for `query`, keeping the driver error as `cause`. */
  constructor(message: string, query?: FailedQuery, options?: ErrorOptions) {
    super(message, options);
    this.sql = query?.sql ?? "";
    this.#values = query?.params ?? [];
    this.params = this.#values.map(redactedParam);
  }

  /**
   * The parameter values of the failed statement, as sent. Kept out of messages, `params` and
   * printing: call this when you mean to look at them.
   *
   * @example
   * ```ts
   * try {
   *   db.execute("select * from users where id = ?", ["x"]);
   * } catch (e) {
   *   if (e instanceof DatabaseError) console.debug(e.paramValues()); // ["x"]
   * }
   * ```
   */
  paramValues(): readonly unknown[] {
    return this.#values;
  }
}

/**
 * The database could not be reached, or the connection was lost.
 *
 * @example
 * ```ts
 * try { await connectAsync("postgres://nobody@127.0.0.1:1/x"); } catch (e) { e instanceof ConnectionError; }
 * ```
 */
export class ConnectionError extends DatabaseError {}

/**
 * A statement failed for a reason other than a constraint: syntax, unknown table, type mismatch.
 *
 * @example
 * ```ts
 * try { db.execute("selec 1"); } catch (e) { e instanceof QueryError; }
 * ```
 */
export class QueryError extends DatabaseError {}

/** What the database said about a violated constraint, where it said it. */
export interface ConstraintInfo {
  /** The table of the violated constraint. */
  readonly table?: string;
  /** The column of the violated constraint (the first one, for multi-column constraints). */
  readonly column?: string;
  /** The constraint's name. */
  readonly constraint?: string;
}

/**
 * A write broke a constraint. Subclasses say which kind.
 *
 * @example
 * ```ts
 * try {
 *   Post.create({ userId: 999, title: "orphan" });
 * } catch (e) {
 *   if (e instanceof IntegrityError) console.log(e.constraint);
 * }
 * ```
 */
export class IntegrityError extends DatabaseError {
  /** The table of the violated constraint, where the database tells. */
  readonly table: string | undefined;
  /** The column of the violated constraint, where the database tells. */
  readonly column: string | undefined;
  /** The constraint's name, where the database tells. */
  readonly constraint: string | undefined;

  /** Creates the error with what the database told about the constraint. */
  constructor(message: string, query?: FailedQuery, info: ConstraintInfo = {}, options?: ErrorOptions) {
    super(message, query, options);
    this.table = info.table;
    this.column = info.column;
    this.constraint = info.constraint;
  }
}

/**
 * A unique or primary-key constraint was violated.
 *
 * @example
 * ```ts
 * try {
 *   User.create({ name: "Ann", email: "dup@example.com" });
 * } catch (e) {
 *   if (e instanceof UniqueViolationError) console.log(e.column); // "email"
 * }
 * ```
 */
export class UniqueViolationError extends IntegrityError {}

/**
 * A foreign key was violated: a missing parent, or a parent that still has children.
 *
 * @example
 * ```ts
 * try {
 *   Post.create({ userId: 404, title: "orphan" });
 * } catch (e) {
 *   console.log(e instanceof ForeignKeyViolationError); // true: there is no user 404
 * }
 * ```
 */
export class ForeignKeyViolationError extends IntegrityError {}

/**
 * NULL was written to a NOT NULL column.
 *
 * @example
 * ```ts
 * try { db.execute("insert into users (name) values (null)"); } catch (e) { e instanceof NotNullViolationError; }
 * ```
 */
export class NotNullViolationError extends IntegrityError {}

/**
 * A CHECK constraint was violated.
 *
 * @example
 * ```ts
 * try { db.execute("insert into accounts (balance) values (-1)"); } catch (e) { e instanceof CheckViolationError; }
 * ```
 */
export class CheckViolationError extends IntegrityError {}

/**
 * The database chose this transaction as a deadlock victim; retrying it may succeed.
 *
 * @example
 * ```ts
 * const transfer = () => AsyncAccount.transaction(async () => {});
 * try {
 *   await transfer();
 * } catch (e) {
 *   if (e instanceof DeadlockError) await transfer(); // the other transaction has finished
 * }
 * ```
 */
export class DeadlockError extends DatabaseError {}

/**
 * A serializable transaction could not be serialized; retrying it may succeed.
 *
 * @example
 * ```ts
 * const work = () => AsyncAccount.transaction(async () => {}, { isolation: "serializable" });
 * try {
 *   await work();
 * } catch (e) {
 *   if (e instanceof SerializationError) await work();
 * }
 * ```
 */
export class SerializationError extends DatabaseError {}

/**
 * A lock could not be acquired in time (SQLite: database busy or locked).
 *
 * @example
 * ```ts
 * try { User.transaction(() => {}); } catch (e) { e instanceof LockTimeoutError; }
 * ```
 */
export class LockTimeoutError extends DatabaseError {}

/**
 * A statement was cancelled before it finished: it ran past a timeout (the backend's
 * `queryTimeout`, or the server's `statement_timeout` / `max_statement_time`) or was cancelled by
 * an administrator. Its transaction, if any, can no longer commit.
 *
 * @example
 * ```ts
 * try {
 *   await db.execute("select pg_sleep(60)");
 * } catch (e) {
 *   if (e instanceof QueryCanceledError) console.log("it took too long; try later");
 * }
 * ```
 */
export class QueryCanceledError extends DatabaseError {}

/**
 * `findOneOrFail`, `refresh` or an update found no row.
 *
 * @example
 * ```ts
 * try { User.findOneOrFail(404); } catch (e) { if (e instanceof RecordNotFoundError) console.log(e.table); }
 * ```
 */
export class RecordNotFoundError extends ActiveRecordError {
  /** The table that was searched. */
  readonly table: string;

  /** Creates the error for `table`. */
  constructor(message: string, table: string) {
    super(message);
    this.table = table;
  }
}

/** Messages per field, e.g. `{ email: ["must be an email"] }`. */
export type ValidationErrors = Record<string, string[]>;

/**
 * A record failed validation; nothing was written.
 *
 * @example
 * ```ts
 * try { new User({ name: "" }).save(); } catch (e) { if (e instanceof ValidationError) console.log(e.errors); }
 * ```
 */
export class ValidationError extends ActiveRecordError {
  /** Messages per field. */
  readonly errors: ValidationErrors;

  /** Creates the error for the model named `model` from its per-field `errors`. */
  constructor(model: string, errors: ValidationErrors) {
    const summary = Object.entries(errors).map(([field, messages]) => `${field} ${messages.join(", ")}`);
    super(`${model} is invalid: ${summary.join("; ")}`);
    this.errors = errors;
  }
}

/**
 * An optimistic-lock check found that another writer changed the row first.
 *
 * @example
 * ```ts
 * try {
 *   u.save();
 * } catch (e) {
 *   if (e instanceof StaleObjectError) u.refresh(); // someone else changed the row first
 * }
 * ```
 */
export class StaleObjectError extends ActiveRecordError {}

/**
 * A deleted record was saved or deleted again. Deleting ends a record's life, as in Rails: make a
 * new record instead (or `restore()` a soft-deleted one).
 *
 * @example
 * ```ts
 * u.delete();
 * try { u.save(); } catch (e) { if (e instanceof RecordDeletedError) console.log(e.message); }
 * ```
 */
export class RecordDeletedError extends ActiveRecordError {}

/**
 * A migration failed, or the migrations cannot run as asked (an unknown id, a migration without
 * `down`, another runner holding the lock). `statements` are those of the failed migration that
 * ran before the failure: on databases whose DDL is transactional they were rolled back; on MySQL
 * they stayed.
 *
 * @example
 * ```ts
 * try { migrator.up(); } catch (e) { if (e instanceof MigrationError) console.log(e.migration, e.statements); }
 * ```
 */
export class MigrationError extends ActiveRecordError {
  /** The migration that failed, if one did. */
  readonly migration: string | undefined;
  /** Its statements that ran before the failure, in order. */
  readonly statements: readonly string[];

  /** Creates the error; `details` name the migration and the statements that ran. */
  constructor(
    message: string,
    details: { migration?: string; statements?: readonly string[] } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.migration = details.migration;
    this.statements = details.statements ?? [];
  }
}

/**
 * A transaction was misused: used after it ended, an option the database cannot honour, or a
 * sync transaction given an async callback.
 *
 * @example
 * ```ts
 * try { User.transaction(() => {}, { isolation: "read uncommitted" }); } catch (e) { e instanceof TransactionError; }
 * ```
 */
export class TransactionError extends ActiveRecordError {}

/**
 * The library was set up wrongly: a model used before `configure`, a sync model on an async-only
 * backend, a malformed URL, an unknown scheme.
 *
 * @example
 * ```ts
 * try { User.findOne(1); } catch (e) { if (e instanceof ConfigurationError) console.log(e.message); }
 * ```
 */
export class ConfigurationError extends ActiveRecordError {}

/**
 * A relation name that the model does not define.
 *
 * @example
 * ```ts
 * const error = new RelationNotFoundError("User has no relation \"nope\"");
 * error instanceof ActiveRecordError; // true
 * ```
 */
export class RelationNotFoundError extends ActiveRecordError {}

/**
 * A relation was read that was not loaded: no query runs behind your back. The message says how to
 * load it (`with(...)` on the query, or `record.load(...)`).
 *
 * @example
 * ```ts
 * try {
 *   console.log(Post.findOneOrFail(1).attribute("author"));
 * } catch (e) {
 *   if (e instanceof StrictLoadingError) console.log(e.message);
 * }
 * ```
 */
export class StrictLoadingError extends ActiveRecordError {}

/**
 * An argument was rejected before any SQL ran: an unknown field in a `where` object, an identifier
 * that is not a plain column name, a negative `limit`, a placeholder count that does not match.
 *
 * @example
 * ```ts
 * try { User.query().limit(-1); } catch (e) { if (e instanceof ArgumentError) console.log(e.message); }
 * ```
 */
export class ArgumentError extends ActiveRecordError {}

/** What a backend knows of a failed statement, in the one shape every dialect reads. */
export interface DriverErrorInfo {
  /** SQLite's result code name (`"SQLITE_CONSTRAINT_UNIQUE"`), when the database is SQLite. */
  readonly code?: string;
  /** The SQLSTATE (PostgreSQL, MySQL). */
  readonly sqlstate?: string;
  /** The server's error number (MySQL). */
  readonly errno?: number;
  /** The table of a violated constraint, where the database says. */
  readonly table?: string;
  /** Its column. */
  readonly column?: string;
  /** Its name. */
  readonly constraint?: string;
}

/**
 * A driver's error, normalised by its backend: the database's codes and what it said about the
 * constraint, with the driver's own error as `cause`. Dialects map it to the error tree. A backend
 * that sees its connection lost throws `ConnectionError` instead.
 *
 * @example
 * ```ts
 * // in a backend, around its driver's call:
 * try {
 *   syncBackend.run({ text: "insert into users (id) values (1)", params: [], returnsRows: false });
 * } catch (driverError) {
 *   throw new DriverError((driverError as Error).message, { sqlstate: "23505" }, { cause: driverError });
 * }
 * ```
 */
export class DriverError extends Error implements DriverErrorInfo {
  /** SQLite's result code name, when the database is SQLite. */
  readonly code?: string;
  /** The SQLSTATE. */
  readonly sqlstate?: string;
  /** The server's error number (MySQL). */
  readonly errno?: number;
  /** The table of a violated constraint. */
  readonly table?: string;
  /** Its column. */
  readonly column?: string;
  /** Its name. */
  readonly constraint?: string;

  /** `message` as the driver gave it (it may quote values: the dialect cuts them before it is shown). */
  constructor(message: string, info: DriverErrorInfo, options?: ErrorOptions) {
    super(message, options);
    this.name = "DriverError";
    Object.assign(this, info);
  }
}
