/**
 * Values on their way to a statement: defaults filled at insert time, the stored form of each value,
 * encoding for the driver. Shared by saves, upserts and bulk inserts.
 * @module
 */
import type { Dialect } from "../dialect/dialect.ts";
import { type TableSql, tableSql } from "../dialect/table_sql.ts";
import { ArgumentError, RecordNotFoundError } from "../errors.ts";
import { storedForm } from "../schema/normalize.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";
import { engineOf, requireSchema } from "./binding.ts";
import { defaultValue, internals, type ModelClass, type RecordBase } from "./record.ts";

/** What a flow on a model needs: its schema, its engine's dialect, and its statements. */
export interface ModelSql {
  readonly schema: Schema;
  readonly dialect: Dialect;
  readonly table: TableSql;
}

/** The schema, dialect and statements of `cls` (`ConfigurationError` before `configure`). */
export function modelSql(cls: ModelClass): ModelSql {
  const schema = requireSchema(cls);
  const dialect = engineOf(cls).dialect;
  return { schema, dialect, table: tableSql(schema, dialect) };
}

/** The values of `fields`, encoded for the driver, in order (`undefined` as NULL). */
export function encodeFields(
  dialect: Dialect,
  fields: readonly FieldInfo[],
  values: readonly unknown[],
): unknown[] {
  const params = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const value = values[fields[i].index];
    params[i] = dialect.encodeParam(value === undefined ? null : value, fields[i].spec.kind, i + 1);
  }
  return params;
}

/** Puts the values of `fields` in the form the database stores (decimals at their scale, full times). */
export function toStoredForms(fields: readonly FieldInfo[], values: unknown[]): void {
  for (const field of fields) {
    const kind = field.spec.kind;
    if (kind === "decimal" || kind === "time") {
      values[field.index] = storedForm(field.spec, values[field.index]);
    }
  }
}

/**
 * Fills the fields of a new record left out (or set to `undefined`, which means the same) that have
 * a default: `.default()`, a generated UUID key, or `.defaultNow()` at the time of insert.
 */
export function fillDefaults(schema: Schema, values: unknown[]): void {
  for (const field of defaultedFields(schema)) {
    if (values[field.index] !== undefined) continue;
    const { spec } = field;
    if (spec.defaultNow) {
      const now = new Date();
      values[field.index] = spec.kind === "date" ? now.toISOString().slice(0, 10) : now;
    } else {
      values[field.index] = defaultValue(field, schema);
    }
  }
}

const defaulted = new WeakMap<Schema, readonly FieldInfo[]>();

/** The fields of `schema` that have a default (saves look them up once per insert). */
function defaultedFields(schema: Schema): readonly FieldInfo[] {
  let fields = defaulted.get(schema);
  if (!fields) {
    fields = schema.fields.filter((f) =>
      f.spec.hasDefault || f.spec.defaultNow || (schema.primaryKey === f && f.spec.kind === "uuid")
    );
    defaulted.set(schema, fields);
  }
  return fields;
}

/** The fields of a new record that have a value. */
export function givenFields(schema: Schema, values: readonly unknown[]): FieldInfo[] {
  return schema.fields.filter((f) => values[f.index] !== undefined);
}

/** The single-column primary key, or an `ArgumentError` saying what cannot be done without one. */
export function requireKey(cls: ModelClass, schema: Schema, action: string): FieldInfo {
  if (!schema.primaryKey) {
    const why = schema.keyFields.length
      ? "a composite primary key (use an object of conditions)"
      : "no primary key";
    throw new ArgumentError(`${cls.name} has ${why}, so records cannot be ${action}`);
  }
  return schema.primaryKey;
}

/**
 * The encoded values of a stored record's key (every column of a composite key), numbered after
 * `out`'s parameters and appended to it (a new array without `out`); an `ArgumentError` when the
 * table has no key.
 */
export function keyParams(
  cls: ModelClass,
  sql: ModelSql,
  record: RecordBase,
  action: string,
  out: unknown[] = [],
): unknown[] {
  const { schema, dialect } = sql;
  const { keyFields } = schema;
  if (keyFields.length === 0) {
    throw new ArgumentError(`${cls.name} has no primary key, so a single record cannot be ${action}`);
  }
  for (let i = 0; i < keyFields.length; i++) {
    const field = keyFields[i];
    const stored = internals.storedValue(record, field.index);
    out.push(dialect.encodeParam(stored ?? null, field.spec.kind, out.length + 1));
  }
  return out;
}

/** The error of a record whose row is not there. */
export function notFound(cls: ModelClass, schema: Schema): RecordNotFoundError {
  return new RecordNotFoundError(`${cls.name} not found in ${schema.table}`, schema.table);
}
