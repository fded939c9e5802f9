/**
 * Record state: the values of a record by field index, what is stored, what changed (dirty
 * tracking, JSON changed in place included), and the instance API that reads it. Flows and hydration
 * reach the state through `internals`; the persistence methods are added by `Model`.
 * @module
 */
import { ArgumentError, ConfigurationError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import type { ColumnKind } from "../schema/column.ts";
import type { ColumnMap, FieldInfo, Schema } from "../schema/schema.ts";

export type { Key } from "../schema/schema.ts";

/** Any model class: a generated class or a subclass of one. */
// deno-lint-ignore no-explicit-any
export type ModelClass = (abstract new (...args: any[]) => RecordBase) & {
  readonly mode: Mode;
  readonly schema: Schema;
};

/** The mode of a model class. */
export type ModeOf<C> = C extends { readonly mode: infer M extends Mode } ? M : never;

/** The instance type of a model class. */
// deno-lint-ignore no-explicit-any
export type InstanceOf<C> = C extends abstract new (...args: any[]) => infer T ? T : never;

/** The column map of a model class's schema. */
export type ColumnsOf<C> = C extends { readonly schema: Schema<infer Cols> } ? Cols : ColumnMap;

// Hydration hands values to the constructor through this slot, so user constructors and class
// field initializers still run for loaded records.
let loadedValues: unknown[] | undefined;
let loadedExtras: Record<string, unknown> | undefined;

/** Module-private access to record state, for flows and hydration. */
export interface RecordInternals {
  /** The values by field index (the live array). */
  values(record: RecordBase): unknown[];
  /** True once the record is saved or loaded. */
  isPersisted(record: RecordBase): boolean;
  /** The key values the row is stored under (before any unsaved change of the key), in key order. */
  storedKey(record: RecordBase): unknown[];
  /** Marks the record as matching its row: saved, or loaded with `values`. */
  markPersisted(record: RecordBase, values?: unknown[]): void;
  /**
   * Marks the record as deleted: it can be neither saved nor deleted again. A soft-deleted record
   * (`soft`) keeps its row, so it stays persisted (and can be restored).
   */
  markDeleted(record: RecordBase, soft?: boolean): void;
  /** True once the record was deleted (and not restored). */
  isDeleted(record: RecordBase): boolean;
  /** Clears the deleted mark of a soft-deleted record (after restore). */
  markRestored(record: RecordBase): void;
  /** The record's persistence state, to put back if a write is rolled back. */
  snapshot(record: RecordBase): RecordSnapshot;
  /** Puts back a state taken by `snapshot` (a rolled-back write). */
  restore(record: RecordBase, snapshot: RecordSnapshot): void;
  /** The fields to write: all given fields of a new record, changed fields of a stored one. */
  changedFields(record: RecordBase): FieldInfo[];
  /** Sets one value, keeping the stored values for dirty tracking. */
  write(record: RecordBase, index: number, value: unknown): void;
  /** The stored value of field `index` (before any unsaved change). */
  storedValue(record: RecordBase, index: number): unknown;
  /** Marks the current values of `fields` as stored (a write of only those: touch, restore). */
  markStored(record: RecordBase, fields: readonly FieldInfo[]): void;
  /** The loaded relations of a record (undefined until one is loaded). */
  related(record: RecordBase): Map<string, unknown> | undefined;
  /** Keeps a loaded relation (a record, null, or an array of records). */
  setRelated(record: RecordBase, name: string, value: unknown): void;
}

/** A record's persistence state before a write: restored if the write's transaction rolls back. */
export interface RecordSnapshot {
  readonly persisted: boolean;
  readonly deleted: boolean;
  /** The stored values (a persisted record), against which changes are tracked. */
  readonly original: unknown[] | undefined;
  readonly json: (string | undefined)[] | undefined;
  /** The key values (a new record: a generated key is taken back). */
  readonly keys: readonly unknown[];
}

/** Record flags. */
const PERSISTED = 1;
const DELETED = 2;

/** What few records need: JSON snapshots, extra selected columns, loaded relations. */
interface Aux {
  json?: (string | undefined)[];
  extras?: Record<string, unknown>;
  related?: Map<string, unknown>;
}

/** See `RecordInternals`. Set by `RecordBase`'s static block. */
export let internals: RecordInternals;

/** `cls` and the classes it extends, the farthest base first (what inherits from what: scopes, listeners). */
export function classChain(cls: ModelClass): ModelClass[] {
  const chain: ModelClass[] = [];
  for (
    let k: unknown = cls;
    typeof k === "function" && k !== Function.prototype;
    k = Object.getPrototypeOf(k)
  ) {
    chain.unshift(k as ModelClass);
  }
  return chain;
}

/** Makes a loaded record of `cls` whose state is `values` (no defaults applied, not dirty). */
export function instantiate<T>(cls: ModelClass, values: unknown[], extras?: Record<string, unknown>): T {
  loadedValues = values;
  loadedExtras = extras;
  try {
    const record = new (cls as unknown as new () => T)();
    if (cls.schema.hasJson) internals.markPersisted(record as RecordBase); // snapshots JSON, to see edits in place
    return record;
  } finally {
    loadedValues = loadedExtras = undefined;
  }
}

/**
 * The state and read API every record has, sync or async. Not used directly: records are instances
 * of `ActiveRecord.model(schema)` or `AsyncActiveRecord.model(schema)` classes.
 *
 * @example
 * ```ts
 * const u = new User({ name: "Ann" });
 * u instanceof RecordBase; // true
 * ```
 */
export abstract class RecordBase<M extends Mode = Mode> {
  /** Type-level only: the mode of the class. */
  declare readonly $mode?: M;
  /** The mode of this base: `"sync"` or `"async"`. */
  static readonly mode: Mode;
  /** The schema of a model class (set by `model(schema)`). */
  static readonly schema: Schema;

  // Few slots per record (a loaded record holds only its values): the flags as bits, and what few
  // records need (JSON snapshots, extra columns, loaded relations) in one object made on demand.
  #values: unknown[];
  #original: unknown[] | undefined;
  #flags: number;
  #aux: Aux | undefined;

  static {
    const jsonSnapshots = (record: RecordBase): (string | undefined)[] | undefined => {
      const { schema } = record.constructor as ModelClass;
      if (!schema.hasJson) return undefined;
      return schema.fields.map((f) =>
        f.spec.kind === "json" ? JSON.stringify(record.#values[f.index]) : undefined
      );
    };
    internals = {
      values: (record) => record.#values,
      isPersisted: (record) => (record.#flags & PERSISTED) !== 0,
      storedKey(record) {
        const values = record.#original ?? record.#values;
        return (record.constructor as ModelClass).schema.keyFields.map((field) => values[field.index]);
      },
      markPersisted(record, values) {
        if (values) {
          record.#values = values;
          if (record.#aux) record.#aux.related = undefined; // reloaded: what was loaded with the old row may not hold
        }
        record.#flags |= PERSISTED;
        record.#original = undefined;
        const json = jsonSnapshots(record);
        if (json || record.#aux) (record.#aux ??= {}).json = json;
      },
      write(record, index, value) {
        if (record.#flags & PERSISTED && record.#original === undefined) {
          record.#original = record.#values.slice();
        }
        record.#values[index] = value;
      },
      storedValue: (record, index) => (record.#original ?? record.#values)[index],
      markStored(record, fields) {
        const original = record.#original;
        if (!original) return;
        for (const field of fields) original[field.index] = record.#values[field.index];
      },
      markDeleted(record, soft) {
        record.#flags |= DELETED;
        if (soft) return;
        record.#flags &= ~PERSISTED;
        record.#original = undefined;
      },
      isDeleted: (record) => (record.#flags & DELETED) !== 0,
      markRestored(record) {
        record.#flags &= ~DELETED;
      },
      snapshot(record) {
        const { keyFields } = (record.constructor as ModelClass).schema;
        const persisted = (record.#flags & PERSISTED) !== 0;
        return {
          persisted,
          deleted: (record.#flags & DELETED) !== 0,
          original: persisted ? record.#original ?? record.#values.slice() : undefined,
          json: record.#aux?.json,
          keys: keyFields.map((field) => record.#values[field.index]),
        };
      },
      restore(record, snapshot) {
        record.#flags = (snapshot.persisted ? PERSISTED : 0) | (snapshot.deleted ? DELETED : 0);
        record.#original = snapshot.original;
        if (snapshot.json || record.#aux) (record.#aux ??= {}).json = snapshot.json;
        if (!snapshot.persisted) {
          const { keyFields } = (record.constructor as ModelClass).schema;
          keyFields.forEach((field, i) => record.#values[field.index] = snapshot.keys[i]);
        }
      },
      changedFields(record) {
        const { fields } = (record.constructor as ModelClass).schema;
        const values = record.#values;
        if (!(record.#flags & PERSISTED)) return fields.filter((f) => values[f.index] !== undefined);
        const original = record.#original;
        const json = record.#aux?.json;
        const changed: FieldInfo[] = [];
        if (original === undefined && json === undefined) return changed; // untouched since stored
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i];
          const differs = json && f.spec.kind === "json"
            ? JSON.stringify(values[f.index]) !== json[f.index]
            : original !== undefined && !sameValue(f.spec.kind, original[f.index], values[f.index]);
          if (differs) changed.push(f);
        }
        return changed;
      },
      related: (record) => record.#aux?.related,
      setRelated(record, name, value) {
        ((record.#aux ??= {}).related ??= new Map()).set(name, value);
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
    if (loadedValues) {
      // Hydration (`instantiate`) first: it runs once per row read, so it does the least.
      this.#values = loadedValues;
      this.#original = undefined;
      this.#flags = PERSISTED;
      this.#aux = loadedExtras && { extras: loadedExtras };
      loadedValues = loadedExtras = undefined;
      return;
    }
    const schema = (new.target as unknown as ModelClass).schema;
    if (!schema) {
      throw new ConfigurationError(`${new.target.name} has no schema: extend ActiveRecord.model(schema)`);
    }
    this.#flags = 0;
    this.#original = undefined;
    this.#aux = undefined;
    const blank = blankOf(schema);
    this.#values = initialValues(blank, schema);
    if (attributes !== undefined) assignValues(this.#values, schema, blank, attributes, new.target.name);
  }

  /** True until the record is saved. */
  get isNewRecord(): boolean {
    return this.#flags === 0;
  }

  /**
   * True once the record was deleted (soft-deleted included, until restored): it can be neither
   * saved nor deleted again.
   *
   * @example
   * ```ts
   * u.delete();
   * u.isDeleted; // true
   * ```
   */
  get isDeleted(): boolean {
    return (this.#flags & DELETED) !== 0;
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
    return field ? this.#values[field.index] : this.#aux?.extras?.[name];
  }

  /**
   * The record as a plain object by property name (bigints as strings, so `JSON.stringify` works),
   * plus its loaded relations and extra selected columns.
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
    const aux = this.#aux;
    if (aux?.related) {
      for (const [name, value] of aux.related) object[name] = relatedJson(value);
    }
    return aux?.extras ? { ...object, ...aux.extras } : object;
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
    const extras = this.#aux?.extras;
    return extras ? { ...object, ...extras } : object;
  }
}

/** A loaded relation as JSON: records by their `toJSON`, arrays element by element. */
function relatedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relatedJson);
  return value instanceof RecordBase ? value.toJSON() : value;
}

/** How new records of a schema start, and the attribute names last given (most calls repeat them). */
interface Blank {
  /** Every field undefined but those with a constant default. */
  readonly template: readonly unknown[];
  /** Fields whose default is made per record (a function, a generated uuid key). */
  readonly fresh: readonly FieldInfo[];
  /** The own attribute names of the last call, in order, and their fields. */
  names: readonly string[];
  fields: readonly FieldInfo[];
}

const blanks = new WeakMap<Schema, Blank>();

function blankOf(schema: Schema): Blank {
  let blank = blanks.get(schema);
  if (!blank) {
    const template = new Array<unknown>(schema.fields.length).fill(undefined);
    const fresh: FieldInfo[] = [];
    for (const field of schema.fields) {
      const { spec } = field;
      const generated = schema.primaryKey === field && spec.kind === "uuid";
      if (generated || (spec.hasDefault && typeof spec.default === "function")) fresh.push(field);
      else if (spec.hasDefault) template[field.index] = spec.default;
    }
    blanks.set(schema, blank = { template, fresh, names: [], fields: [] });
  }
  return blank;
}

/** The values a new record starts with: every field undefined but those with a default. */
function initialValues(blank: Blank, schema: Schema): unknown[] {
  const values = blank.template.slice();
  const { fresh } = blank;
  for (let i = 0; i < fresh.length; i++) values[fresh[i].index] = defaultValue(fresh[i], schema);
  return values;
}

/**
 * The values of a new record of `schema` made from `attributes` (defaults, then the attributes), as
 * the constructor makes them, without a record (bulk inserts).
 */
export function newValues(schema: Schema, attributes: Record<string, unknown>, model: string): unknown[] {
  const blank = blankOf(schema);
  const values = initialValues(blank, schema);
  assignValues(values, schema, blank, attributes, model);
  return values;
}

/** The default of a field for a new record: its `.default()`, or a fresh UUID for a single uuid key. */
export function defaultValue(field: FieldInfo, schema: Schema): unknown {
  const { spec } = field;
  if (spec.hasDefault) return typeof spec.default === "function" ? spec.default() : spec.default;
  // A single uuid key is made here; the uuid columns of a composite key are given (they refer to rows).
  if (schema.primaryKey === field && spec.kind === "uuid") return crypto.randomUUID();
  return undefined;
}

function assignValues(
  values: unknown[],
  schema: Schema,
  blank: Blank,
  attributes: Record<string, unknown>,
  model: string,
): void {
  if (typeof attributes !== "object" || attributes === null) {
    throw new ArgumentError(`${model}: attributes must be an object`);
  }
  // The names are matched against the last call's first (no lookup while they repeat); a new shape
  // is looked up and remembered.
  const { names, fields } = blank;
  const ownOnly = yieldsOwnKeysOnly(attributes);
  let n = 0;
  let seen: { names: string[]; fields: FieldInfo[] } | undefined;
  for (const name in attributes) {
    if (!ownOnly && !Object.hasOwn(attributes, name)) continue; // own keys only: a polluted prototype adds nothing
    let field: FieldInfo | undefined;
    if (seen === undefined && names[n] === name) field = fields[n];
    else {
      seen ??= { names: names.slice(0, n), fields: fields.slice(0, n) };
      field = schema.field(name);
      if (!field) throw new ArgumentError(`${model} has no attribute ${JSON.stringify(name)}`);
    }
    if (seen) (seen.names.push(name), seen.fields.push(field));
    n++;
    const value = attributes[name];
    // `undefined` means "not given", so defaults still apply (`{ tags: input.tags }` with no tags).
    if (value !== undefined) values[field.index] = value;
  }
  if (seen) (blank.names = seen.names, blank.fields = seen.fields);
  else if (n !== names.length) (blank.names = names.slice(0, n), blank.fields = fields.slice(0, n));
}

/**
 * True when `for...in` over `object` can yield only its own keys: a plain object while nothing
 * enumerable was added to `Object.prototype` (then no per-key `hasOwn` is needed).
 */
function yieldsOwnKeysOnly(object: object): boolean {
  const proto = Object.getPrototypeOf(object);
  if (proto === null) return true;
  if (proto !== Object.prototype) return false;
  for (const _ in proto) return false;
  return true;
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
