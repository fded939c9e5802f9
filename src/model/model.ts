/**
 * The base of `ActiveRecord` (sync) and `AsyncActiveRecord` (async): record state, dirty tracking,
 * and every static and instance method, written once. Each method hands a flow to the model's
 * engine, which answers with values (sync) or Promises (async).
 * @module
 */
import type { Backend } from "../backend.ts";
import { resolveBackend } from "../connection/registry.ts";
import {
  beginTransaction,
  runTransaction,
  type Transaction,
  type TransactionCallback,
} from "../connection/executor.ts";
import type { Statement } from "../connection/statement.ts";
import type { TransactionOptions } from "../dialect/dialect.ts";
import { ArgumentError, ConfigurationError, type ValidationErrors } from "../errors.ts";
import type { Mode, Out } from "../mode.ts";
import { ActiveQuery } from "../query/active_query.ts";
import type { WhereInput } from "../query/conditions.ts";
import { type Engine, engineFor } from "../run/engine.ts";
import type { Flow } from "../run/request.ts";
import {
  createTableFlow,
  type CreateTableOptions,
  dropTableFlow,
  type DropTableOptions,
} from "../schema/ddl.ts";
import type { ColumnKind } from "./column.ts";
import {
  deleteAllFlow,
  deleteFlow,
  findAllFlow,
  findBySqlFlow,
  findOneFlow,
  insertManyFlow,
  refreshFlow,
  saveFlow,
  updateAllFlow,
  upsertFlow,
  type UpsertOptions,
} from "./persistence.ts";
import type { Attributes, ColumnMap, CreateAttributes, FieldInfo, Fields, Schema } from "./schema.ts";
import { validateValues } from "./validate.ts";

/** A primary-key value. */
export type Key = number | bigint | string;

/** Any model class: a generated class or a subclass of one. */
// deno-lint-ignore no-explicit-any
export type ModelClass = (abstract new (...args: any[]) => Model<Mode>) & {
  readonly mode: Mode;
  readonly schema: Schema;
};

/**
 * The class `model(schema)` returns below `Base` (a base's static side) with instances `I`: extend it
 * to add methods.
 */
export type RecordClass<Base, I, C extends ColumnMap> = Omit<Base, "prototype" | "schema"> & {
  /** Makes a new, unsaved record. */
  new (attributes?: Attributes<C>): I & Fields<C>;
  /** The instance prototype. */
  readonly prototype: I & Fields<C>;
  /** The schema. */
  readonly schema: Schema<C>;
};

/**
 * The base a mixin extends to add methods to both the sync and the async model of a schema.
 *
 * @example
 * ```ts
 * function withLabel<B extends ModelBase<typeof users.columns>>(Base: B) {
 *   abstract class Labelled extends Base {
 *     get label(): string { return `${this.name} <${this.email}>`; }
 *   }
 *   return Labelled;
 * }
 * class User extends withLabel(ActiveRecord.model(users)) {}
 * class AsyncUser extends withLabel(AsyncActiveRecord.model(users)) {}
 * ```
 */
// deno-lint-ignore no-explicit-any
export type ModelBase<C extends ColumnMap> = abstract new (...args: any[]) => Model<Mode> & Fields<C>;

/** The mode of a model class. */
export type ModeOf<C> = C extends { readonly mode: infer M extends Mode } ? M : never;

/** The instance type of a model class. */
// deno-lint-ignore no-explicit-any
export type InstanceOf<C> = C extends abstract new (...args: any[]) => infer T ? T : never;

/** The column map of a model class's schema. */
export type ColumnsOf<C> = C extends { readonly schema: Schema<infer Cols> } ? Cols : ColumnMap;

const ENGINE = Symbol("engine");
const BACKEND = Symbol("backend");

/** The fields of a model whose names would hide the model's own API. */
const RESERVED = new Set(["constructor", "save", "delete", "refresh", "validate", "isNewRecord", "isDirty"]);

// Hydration hands values to the constructor through this slot, so user constructors and class
// field initializers still run for loaded records.
let loadedValues: unknown[] | undefined;
let loadedExtras: Record<string, unknown> | undefined;

/** Module-private access to record state, for flows and hydration. */
export interface RecordInternals {
  /** The values by field index (the live array). */
  values(record: Model<Mode>): unknown[];
  /** True once the record is saved or loaded. */
  isPersisted(record: Model<Mode>): boolean;
  /** The key value the row is stored under (before any unsaved change of the key). */
  storedKey(record: Model<Mode>): unknown;
  /** Marks the record as matching its row: saved, or loaded with `values`. */
  markPersisted(record: Model<Mode>, values?: unknown[]): void;
  /** Marks the record as no longer stored (after delete). */
  markDeleted(record: Model<Mode>): void;
  /** The fields to write: all given fields of a new record, changed fields of a stored one. */
  changedFields(record: Model<Mode>): FieldInfo[];
  /** Sets one value, keeping the stored values for dirty tracking. */
  write(record: Model<Mode>, index: number, value: unknown): void;
}

/** See `RecordInternals`. Set by `Model`'s static block. */
export let internals: RecordInternals;

/** Makes a loaded record of `cls` whose state is `values` (no defaults applied, not dirty). */
export function instantiate<T>(cls: ModelClass, values: unknown[], extras?: Record<string, unknown>): T {
  loadedValues = values;
  loadedExtras = extras;
  try {
    return new (cls as unknown as new () => T)();
  } finally {
    loadedValues = loadedExtras = undefined;
  }
}

/**
 * The shared base of `ActiveRecord` and `AsyncActiveRecord`. Not used directly: extend
 * `ActiveRecord.model(schema)` or `AsyncActiveRecord.model(schema)`.
 *
 * @example
 * ```ts
 * class User extends ActiveRecord.model(users) {}
 * const u = new User({ name: "Ann" });
 * u instanceof Model; // true
 * ```
 */
export abstract class Model<M extends Mode = Mode> {
  /** The mode of this base: `"sync"` or `"async"`. */
  static readonly mode: Mode;
  /** The schema of a model class (set by `model(schema)`). */
  static readonly schema: Schema;

  #values: unknown[];
  #original: unknown[] | undefined;
  #persisted: boolean;
  #json: (string | undefined)[] | undefined;
  #extras: Record<string, unknown> | undefined;

  static {
    const jsonSnapshots = (record: Model<Mode>): (string | undefined)[] | undefined => {
      const { schema } = record.constructor as ModelClass;
      if (!schema.hasJson) return undefined;
      return schema.fields.map((f) =>
        f.spec.kind === "json" ? JSON.stringify(record.#values[f.index]) : undefined
      );
    };
    internals = {
      values: (record) => record.#values,
      isPersisted: (record) => record.#persisted,
      storedKey(record) {
        const key = (record.constructor as ModelClass).schema.primaryKey!.index;
        return (record.#original ?? record.#values)[key];
      },
      markPersisted(record, values) {
        if (values) record.#values = values;
        record.#persisted = true;
        record.#original = undefined;
        record.#json = jsonSnapshots(record);
      },
      write(record, index, value) {
        if (record.#persisted && record.#original === undefined) record.#original = record.#values.slice();
        record.#values[index] = value;
      },
      markDeleted(record) {
        record.#persisted = false;
        record.#original = undefined;
      },
      changedFields(record) {
        const { fields } = (record.constructor as ModelClass).schema;
        const values = record.#values;
        if (!record.#persisted) return fields.filter((f) => values[f.index] !== undefined);
        const original = record.#original;
        const json = record.#json;
        return fields.filter((f) => {
          if (json && f.spec.kind === "json") return JSON.stringify(values[f.index]) !== json[f.index];
          return original !== undefined && !sameValue(f.spec.kind, original[f.index], values[f.index]);
        });
      },
    };
  }

  /**
   * Makes a new, unsaved record: defaults first, then `attributes`.
   *
   * @example
   * ```ts
   * const u = new User({ name: "Ann", email: "ann@example.com" });
   * u.isNewRecord; // true
   * ```
   */
  constructor(attributes?: Record<string, unknown>) {
    const schema = (new.target as unknown as ModelClass).schema;
    if (!schema) {
      throw new ConfigurationError(`${new.target.name} has no schema: extend ActiveRecord.model(schema)`);
    }
    this.#original = undefined;
    this.#json = undefined;
    if (loadedValues) {
      this.#values = loadedValues;
      this.#extras = loadedExtras;
      this.#persisted = true;
      loadedValues = loadedExtras = undefined;
      if (schema.hasJson) internals.markPersisted(this);
      return;
    }
    this.#extras = undefined;
    this.#persisted = false;
    this.#values = schema.fields.map(defaultValue);
    if (attributes !== undefined) assign(this, schema, attributes, new.target.name);
  }

  /** True until the record is saved (and again after it is deleted). */
  get isNewRecord(): boolean {
    return !this.#persisted;
  }

  /**
   * True when `field` (or, without an argument, any field) differs from the stored row. Every field
   * of a new record counts as changed. JSON values changed in place are detected.
   *
   * @example
   * ```ts
   * u.name = "Jane";
   * u.isDirty("name"); // true
   * ```
   */
  isDirty(field?: string): boolean {
    const changed = internals.changedFields(this);
    if (field === undefined) return changed.length > 0;
    const schema = (this.constructor as ModelClass).schema;
    const info = schema.requireField(field, "isDirty");
    return changed.includes(info);
  }

  /** The property names that differ from the stored row. */
  get dirtyFields(): string[] {
    return internals.changedFields(this).map((f) => f.name);
  }

  /**
   * Checks the record without writing: returns messages per field, empty when valid.
   *
   * @example
   * ```ts
   * new User({ name: "x".repeat(500) }).validate(); // { name: ["is too long (maximum is 100 characters)"], ... }
   * ```
   */
  validate(): ValidationErrors {
    const schema = (this.constructor as ModelClass).schema;
    return validateValues(schema, this.#values, !this.#persisted);
  }

  /**
   * A value by property or column name, including extra columns a query selected (`count(*) as n`).
   *
   * @example
   * ```ts
   * const [u] = User.findBySql("select users.*, 42 as answer from users");
   * u.attribute("answer"); // 42
   * ```
   */
  attribute(name: string): unknown {
    const field = (this.constructor as ModelClass).schema.field(name);
    return field ? this.#values[field.index] : this.#extras?.[name];
  }

  /**
   * The record as a plain object by property name (bigints as strings, so `JSON.stringify` works),
   * plus extra selected columns.
   *
   * @example
   * ```ts
   * JSON.stringify(u); // {"id":1,"name":"Ann",...}
   * ```
   */
  toJSON(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (const field of (this.constructor as ModelClass).schema.fields) {
      const value = this.#values[field.index];
      object[field.name] = typeof value === "bigint" ? value.toString() : value;
    }
    return this.#extras ? { ...object, ...this.#extras } : object;
  }

  /** Shows the fields in `console.log` (Deno). */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    return `${this.constructor.name} ${inspect(this.#inspectable(), options)}`;
  }

  /** Shows the fields in `console.log` (Node). */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    return `${this.constructor.name} ${inspect(this.#inspectable(), options)}`;
  }

  #inspectable(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (const field of (this.constructor as ModelClass).schema.fields) {
      object[field.name] = this.#values[field.index];
    }
    return this.#extras ? { ...object, ...this.#extras } : object;
  }

  /**
   * Inserts a new record or updates the changed columns of a stored one, after validation. An
   * invalid record throws `ValidationError` and writes nothing.
   *
   * @example
   * ```ts
   * const u = new User({ name: "Ann", email: "ann@example.com" });
   * u.save();          // INSERT; u.id is set
   * u.name = "Annie";
   * u.save();          // UPDATE users SET name = ? WHERE id = ?
   * ```
   */
  save(): Out<M, this> {
    return run(this.constructor as ModelClass, saveFlow(this, this.constructor as ModelClass)) as Out<
      M,
      this
    >;
  }

  /**
   * Deletes the record's row; returns whether a row was deleted.
   *
   * @example
   * ```ts
   * u.delete(); // true
   * ```
   */
  delete(): Out<M, boolean> {
    return run(this.constructor as ModelClass, deleteFlow(this, this.constructor as ModelClass)) as Out<
      M,
      boolean
    >;
  }

  /**
   * Reloads the record from its row, dropping unsaved changes; `RecordNotFoundError` if it is gone.
   *
   * @example
   * ```ts
   * u.refresh();
   * ```
   */
  refresh(): Out<M, this> {
    return run(this.constructor as ModelClass, refreshFlow(this, this.constructor as ModelClass)) as Out<
      M,
      this
    >;
  }

  /**
   * Binds the model (and, on a base class, every model below it) to a backend or a URL. A sync model
   * on an async-only backend is a `ConfigurationError` here. Async models check that the database
   * answers.
   *
   * @example
   * ```ts
   * User.configure(new SQLiteBackend(":memory:"));
   * await AsyncUser.configure("postgres://postgres@127.0.0.1:5432/app");
   * ```
   */
  static configure<C extends { readonly mode: Mode }>(
    this: C,
    target: Backend | string,
  ): Out<ModeOf<C>, void> {
    const backend = resolveBackend(target);
    const engine = engineFor(backend, this.mode);
    Object.defineProperty(this, ENGINE, { value: engine, configurable: true });
    Object.defineProperty(this, BACKEND, { value: backend, configurable: true });
    if (engine.mode === "sync") return undefined as Out<ModeOf<C>, void>;
    return (engine as Engine<"async">).run(pingFlow()) as Out<ModeOf<C>, void>;
  }

  /** The backend this model is bound to; `ConfigurationError` before `configure`. */
  static get backend(): Backend {
    engineOf(this as unknown as ModelClass);
    return (this as unknown as Record<symbol, Backend>)[BACKEND];
  }

  /** The table name. */
  static get tableName(): string {
    return requireSchema(this as unknown as ModelClass).table;
  }

  /**
   * Starts a query.
   *
   * @example
   * ```ts
   * User.query().where({ isActive: true }).orderBy("name").limit(10).all();
   * ```
   */
  static query<C extends ModelClass>(this: C): ActiveQuery<ModeOf<C>, InstanceOf<C>, ColumnsOf<C>> {
    return new ActiveQuery(this);
  }

  /**
   * Finds one record by primary key, or by conditions; undefined when none matches.
   *
   * @example
   * ```ts
   * User.findOne(1);
   * User.findOne({ email: "ann@example.com" });
   * ```
   */
  static findOne<C extends ModelClass>(
    this: C,
    keyOrConditions: Key | WhereInput<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C> | undefined> {
    return run(this, findOneFlow(this, keyOrConditions, false)) as Out<ModeOf<C>, InstanceOf<C> | undefined>;
  }

  /**
   * Like `findOne`, but throws `RecordNotFoundError` when none matches.
   *
   * @example
   * ```ts
   * const u = User.findOneOrFail(1);
   * ```
   */
  static findOneOrFail<C extends ModelClass>(
    this: C,
    keyOrConditions: Key | WhereInput<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C>> {
    return run(this, findOneFlow(this, keyOrConditions, true)) as Out<ModeOf<C>, InstanceOf<C>>;
  }

  /**
   * Finds records: all of them, by conditions, by a list of keys, or by SQL with `?` parameters.
   *
   * @example
   * ```ts
   * User.findAll();
   * User.findAll({ isActive: true });
   * User.findAll([1, 2, 3]);
   * User.findAll("age > ?", [30]);
   * ```
   */
  static findAll<C extends ModelClass>(
    this: C,
    conditions?: WhereInput<ColumnsOf<C>> | readonly Key[] | Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, InstanceOf<C>[]> {
    return run(this, findAllFlow(this, conditions, params)) as Out<ModeOf<C>, InstanceOf<C>[]>;
  }

  /**
   * Loads records from a whole SQL query; columns that are not fields stay readable with `attribute()`.
   *
   * @example
   * ```ts
   * User.findBySql("select * from users where email like ?", ["%@example.com"]);
   * ```
   */
  static findBySql<C extends ModelClass>(
    this: C,
    statement: Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, InstanceOf<C>[]> {
    return run(this, findBySqlFlow(this, statement, params)) as Out<ModeOf<C>, InstanceOf<C>[]>;
  }

  /**
   * Makes and saves a record.
   *
   * @example
   * ```ts
   * const u = User.create({ name: "Ann", email: "ann@example.com" });
   * ```
   */
  static create<C extends ModelClass>(
    this: C,
    attributes: CreateAttributes<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C>> {
    const record = new (this as unknown as new (a: unknown) => Model<Mode>)(attributes);
    return run(this, saveFlow(record, this)) as Out<ModeOf<C>, InstanceOf<C>>;
  }

  /**
   * Inserts many rows in multi-row statements, all or nothing: every row is validated first, and
   * the inserts run in one transaction (a savepoint when inside one). Returns the count inserted.
   *
   * @example
   * ```ts
   * User.insertMany([{ name: "A", email: "a@x.io" }, { name: "B", email: "b@x.io" }]); // 2
   * ```
   */
  static insertMany<C extends ModelClass>(
    this: C,
    rows: readonly CreateAttributes<ColumnsOf<C>>[],
  ): Out<ModeOf<C>, number> {
    return run(this, insertManyFlow(this, rows as readonly Record<string, unknown>[])) as Out<
      ModeOf<C>,
      number
    >;
  }

  /**
   * Updates every row matching `conditions` (all rows without them); returns the count changed.
   * Values are validated first.
   *
   * @example
   * ```ts
   * User.updateAll({ isActive: false }, { name: "Ann" });
   * User.updateAll({ isActive: false }, "last_login < ?", [cutoff]);
   * ```
   */
  static updateAll<C extends ModelClass>(
    this: C,
    values: Attributes<ColumnsOf<C>>,
    conditions?: WhereInput<ColumnsOf<C>> | Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, number> {
    return run(this, updateAllFlow(this, values as Record<string, unknown>, conditions, params)) as Out<
      ModeOf<C>,
      number
    >;
  }

  /**
   * Deletes every row matching `conditions`; returns the count deleted. Without conditions it
   * deletes every row.
   *
   * @example
   * ```ts
   * User.deleteAll({ isActive: false });
   * ```
   */
  static deleteAll<C extends ModelClass>(
    this: C,
    conditions?: WhereInput<ColumnsOf<C>> | Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, number> {
    return run(this, deleteAllFlow(this, conditions, params)) as Out<ModeOf<C>, number>;
  }

  /**
   * Inserts a record, or updates the row that has the same `conflict` columns; returns the stored
   * record.
   *
   * @example
   * ```ts
   * User.upsert({ email: "ann@example.com", name: "Ann" }, { conflict: ["email"] });
   * ```
   */
  static upsert<C extends ModelClass>(
    this: C,
    attributes: CreateAttributes<ColumnsOf<C>>,
    options: UpsertOptions<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C>> {
    const record = new (this as unknown as new (a: unknown) => Model<Mode>)(attributes);
    return run(this, upsertFlow(record, this, options as UpsertOptions<ColumnMap>)) as Out<
      ModeOf<C>,
      InstanceOf<C>
    >;
  }

  /**
   * Runs `fn` in a transaction: commits when it returns, rolls back and rethrows when it throws.
   * Nested calls use savepoints. Queries through any model on the same backend join it.
   *
   * @example
   * ```ts
   * User.transaction((tx) => {
   *   User.create({ name: "A", email: "a@x.io" });
   *   User.transaction(() => { throw new Error("only the savepoint is rolled back"); });
   * }, { behavior: "immediate" });
   * ```
   */
  static transaction<C extends ModelClass, R>(
    this: C,
    fn: TransactionCallback<ModeOf<C>, R>,
    options: TransactionOptions = {},
  ): Out<ModeOf<C>, R> {
    return runTransaction(engineOf(this) as Engine<ModeOf<C>>, fn, options);
  }

  /**
   * Opens a transaction and returns its handle; it rolls back when disposed unless committed.
   *
   * @example
   * ```ts
   * using tx = User.begin();
   * User.create({ name: "A", email: "a@x.io" });
   * tx.commit();
   * ```
   */
  static begin<C extends ModelClass>(
    this: C,
    options: TransactionOptions = {},
  ): Out<ModeOf<C>, Transaction<ModeOf<C>>> {
    return beginTransaction(engineOf(this) as Engine<ModeOf<C>>, options);
  }

  /**
   * Creates the model's table from its schema.
   *
   * @example
   * ```ts
   * User.createTable({ ifNotExists: true });
   * ```
   */
  static createTable<C extends ModelClass>(this: C, options: CreateTableOptions = {}): Out<ModeOf<C>, void> {
    return run(this, createTableFlow(requireSchema(this), engineOf(this).dialect, options)) as Out<
      ModeOf<C>,
      void
    >;
  }

  /**
   * Drops the model's table.
   *
   * @example
   * ```ts
   * User.dropTable({ ifExists: true });
   * ```
   */
  static dropTable<C extends ModelClass>(this: C, options: DropTableOptions = {}): Out<ModeOf<C>, void> {
    return run(this, dropTableFlow(requireSchema(this), engineOf(this).dialect, options)) as Out<
      ModeOf<C>,
      void
    >;
  }
}

/** The engine a model class is configured with; `ConfigurationError` before `configure`. */
export function engineOf(cls: ModelClass): Engine<Mode> {
  const engine = (cls as unknown as Record<symbol, Engine<Mode> | undefined>)[ENGINE];
  if (!engine) {
    throw new ConfigurationError(
      `${cls.name} is not configured: call ${cls.name}.configure(backend) (or configure a base class) first`,
    );
  }
  return engine;
}

/** The schema of a model class; `ConfigurationError` on a base class. */
export function requireSchema(cls: ModelClass): Schema {
  if (!cls.schema) {
    throw new ConfigurationError(`${cls.name} has no schema: extend ActiveRecord.model(schema)`);
  }
  return cls.schema;
}

function run<T>(cls: ModelClass, flow: Flow<T>): unknown {
  return engineOf(cls).run(flow);
}

function* pingFlow(): Flow<void> {
  yield { kind: "query", query: { text: "SELECT 1", params: [], returnsRows: true } };
}

function defaultValue(field: FieldInfo): unknown {
  const { spec } = field;
  if (spec.hasDefault) return typeof spec.default === "function" ? spec.default() : spec.default;
  if (spec.primaryKey && spec.kind === "uuid") return crypto.randomUUID();
  return undefined;
}

function assign(
  record: Model<Mode>,
  schema: Schema,
  attributes: Record<string, unknown>,
  model: string,
): void {
  if (typeof attributes !== "object" || attributes === null) {
    throw new ArgumentError(`${model}: attributes must be an object`);
  }
  const values = internals.values(record);
  for (const name of Object.keys(attributes)) {
    const field = schema.field(name);
    if (!field) throw new ArgumentError(`${model} has no attribute ${JSON.stringify(name)}`);
    const value = attributes[name];
    // `undefined` means "not given", so defaults still apply (`{ tags: input.tags }` with no tags).
    if (value !== undefined) values[field.index] = value;
  }
}

/** Equality for dirty tracking: dates by time, bytes by content, the rest by identity. */
function sameValue(kind: ColumnKind, a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (kind === "datetime" && a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (kind === "bytes" && a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  return false;
}

/** Makes the class for `schema` below `base`, with one accessor per field. */
export function defineModelClass<B extends abstract new (...args: never[]) => Model<Mode>>(
  base: B,
  schema: Schema,
): B {
  if (!(schema && Array.isArray(schema.fields))) {
    throw new ArgumentError("model() expects a schema made by defineSchema()");
  }
  // @ts-ignore: an abstract base is extended here only to be subclassed again by the user
  const cls = class extends base {};
  Object.defineProperty(cls, "name", { value: `${schema.table}Record` });
  Object.defineProperty(cls, "schema", { value: schema });
  for (const field of schema.fields) {
    if (RESERVED.has(field.name) || field.name in Model.prototype) {
      throw new ArgumentError(`${schema.table}: a field cannot be named ${field.name}, which models use`);
    }
    const index = field.index;
    Object.defineProperty(cls.prototype, field.name, {
      get(this: Model<Mode>) {
        return internals.values(this)[index];
      },
      set(this: Model<Mode>, value: unknown) {
        internals.write(this, index, value);
      },
      enumerable: true,
      configurable: true,
    });
  }
  return cls as unknown as B;
}
