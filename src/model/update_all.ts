/**
 * `updateAll`: the flow (checks, default scopes, any condition), and its hot path. A plain-object
 * condition on a model without default scopes has a statement text fixed by its shape (the columns
 * set, the condition's keys and kinds); once a shape was seen, a call whose values need no custom
 * check is planned at once (no flow, no text built) and only its values are encoded.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { TableSql } from "../dialect/table_sql.ts";
import { ArgumentError, ValidationError, type ValidationErrors } from "../errors.ts";
import { checkConditionValue, isPlainObject } from "../query/conditions.ts";
import { execute, type Flow } from "../run/request.ts";
import type { Statement } from "../run/statement.ts";
import { storedForm } from "../schema/normalize.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";
import { checkValue, isValid, PASSED, type PendingCheck } from "../schema/validate.ts";
import { SqlWriter } from "../sql/writer.ts";
import { engineOf, run, sourceOf } from "./binding.ts";
import { appendWhere } from "./bulk.ts";
import { runPending } from "./checks.ts";
import type { ModelClass } from "./record.ts";
import { modelSql } from "./write_values.ts";

/** The fields `updateAll` sets (a value given as `undefined` is not set), and what checking them found. */
interface SetFields {
  /** In schema order, so that one set of columns has one text whatever the order of the keys. */
  readonly fields: FieldInfo[];
  /** The bits of their positions; -1 past 31 fields (such statements are not cached). */
  readonly mask: number;
  readonly errors: ValidationErrors | undefined;
  readonly pending: PendingCheck[] | undefined;
}

/** The fields `updateAll` sets, with their built-in checks done and custom ones to run. */
function setFields(schema: Schema, values: Record<string, unknown>): SetFields {
  if (!isPlainObject(values)) throw new ArgumentError("updateAll expects a plain object of values");
  const fields: FieldInfo[] = [];
  let mask = 0;
  let errors: ValidationErrors | undefined;
  let pending: PendingCheck[] | undefined;
  for (const name in values) {
    if (!Object.hasOwn(values, name) || values[name] === undefined) continue;
    const field = schema.requireField(name, "updateAll");
    fields.push(field);
    mask = field.index > 30 || mask < 0 ? -1 : mask | (1 << field.index);
    const checked = checkValue(schema, field, values[name], values);
    if (!isValid(checked.errors)) Object.assign(errors ??= {}, checked.errors);
    if (checked.pending.length) (pending ??= []).push(...checked.pending);
  }
  if (fields.length === 0) throw new ArgumentError("updateAll needs at least one value to set");
  fields.sort((a, b) => a.index - b.index);
  return { fields, mask, errors, pending };
}

/** The value `values` gives `field`, by property or column name. */
function valueOf(values: Record<string, unknown>, field: FieldInfo): unknown {
  return Object.hasOwn(values, field.name) ? values[field.name] : values[field.column];
}

/** The statement text of one shape of `updateAll`. */
interface Shape {
  readonly mask: number;
  /** The fields set, in schema order. */
  readonly fields: readonly FieldInfo[];
  /** The condition's keys, in order, and per key its `kindOf`. */
  readonly keys: readonly string[];
  readonly kinds: readonly number[];
  readonly text: string;
}

/** Most shapes kept per table (a program has few; past this, the oldest goes). */
const MAX_SHAPES = 64;
const shapes = new WeakMap<TableSql, Shape[]>();

/** How a condition value shapes the SQL: -1 IS NULL, 0 `= ?`, n + 1 a list of n (an empty one is `1 = 0`). */
function kindOf(value: unknown): number {
  return value === null ? -1 : Array.isArray(value) ? value.length + 1 : 0;
}

/** The shape setting `mask` where `conditions` (a plain object or none), if seen; no allocation. */
function knownShape(
  table: TableSql,
  mask: number,
  conditions: Record<string, unknown> | undefined,
): Shape | undefined {
  const known = shapes.get(table);
  if (!known) return undefined;
  next: for (const shape of known) {
    if (shape.mask !== mask) continue;
    let n = 0;
    for (const key in conditions) {
      if (!Object.hasOwn(conditions, key)) continue;
      if (shape.keys[n] !== key || shape.kinds[n] !== kindOf(conditions[key])) continue next;
      n++;
    }
    if (n === shape.keys.length) return shape;
  }
  return undefined;
}

function remember(
  table: TableSql,
  mask: number,
  fields: readonly FieldInfo[],
  conditions: Record<string, unknown> | undefined,
  text: string,
) {
  const keys = conditions ? Object.keys(conditions) : [];
  let known = shapes.get(table);
  if (!known) shapes.set(table, known = []);
  if (known.length >= MAX_SHAPES) known.shift();
  known.push({ mask, fields, keys, kinds: keys.map((key) => kindOf(conditions![key])), text });
}

/** The encoded SET values, in order, then those of the condition (checked as `objectCondition` does). */
function boundParams(
  schema: Schema,
  dialect: Dialect,
  fields: readonly FieldInfo[],
  values: Record<string, unknown>,
  conditions: Record<string, unknown> | undefined,
): unknown[] {
  const out = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const { spec } = fields[i];
    out[i] = dialect.encodeParam(storedForm(spec, valueOf(values, fields[i])) ?? null, spec.kind, i + 1);
  }
  for (const name in conditions) {
    if (!Object.hasOwn(conditions, name)) continue;
    const field = schema.requireField(name, "updateAll");
    const value = conditions[name];
    if (value === null) continue;
    if (value === undefined) {
      throw new ArgumentError(`updateAll: ${schema.table}.${field.name} is undefined; use null for IS NULL`);
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) throw new ArgumentError("updateAll: a list cannot hold null");
      checkConditionValue(schema, field, item, "updateAll");
      out.push(dialect.encodeParam(item, field.spec.kind, out.length + 1));
    }
  }
  return out;
}

/** True when the statement's text depends only on its shape: an object condition, no default scopes. */
function cacheable(cls: ModelClass, conditions: unknown, params: readonly unknown[] | undefined): boolean {
  return params === undefined && (conditions === undefined || isPlainObject(conditions)) &&
    sourceOf(cls).scopes().length === 0;
}

/**
 * Updates every row matching `conditions`; returns the count changed. Values are checked first
 * (custom checks awaited in async mode).
 */
export function* updateAllFlow(
  cls: ModelClass,
  values: Record<string, unknown>,
  conditions: unknown,
  params?: readonly unknown[],
): Flow<number> {
  const { schema, dialect, table } = modelSql(cls);
  const { fields, mask, errors: found, pending } = setFields(schema, values);
  let errors = found;
  if (pending) errors = yield* runPending(errors ?? {}, pending);
  if (errors && !isValid(errors)) throw new ValidationError(cls.name, errors);
  const object = conditions as Record<string, unknown> | undefined;
  const shaped = mask >= 0 && cacheable(cls, conditions, params);
  const known = shaped ? knownShape(table, mask, object) : undefined;
  if (known !== undefined) {
    const query = {
      text: known.text,
      params: boundParams(schema, dialect, fields, values, object),
      returnsRows: false,
    };
    return (yield* execute(query)).changes;
  }
  const writer = new SqlWriter(dialect).raw(`UPDATE ${table.table} SET `);
  writer.list(fields, (field) => {
    writer.id(field.column).raw(" = ").param(
      storedForm(field.spec, valueOf(values, field)) ?? null,
      field.spec.kind,
    );
  });
  appendWhere(writer, cls, conditions as Statement | undefined, params, "updateAll");
  if (shaped) remember(table, mask, fields, object, writer.text);
  return (yield* execute({ text: writer.text, params: writer.params, returnsRows: false })).changes;
}

/**
 * The statement of a call whose shape was seen and whose values pass the built-in checks with no
 * custom check to run; undefined otherwise (the flow then does it, errors included).
 */
function planned(
  cls: ModelClass,
  values: Record<string, unknown>,
  conditions: unknown,
  params: readonly unknown[] | undefined,
): DriverQuery | undefined {
  if (!isPlainObject(values) || !cacheable(cls, conditions, params)) return undefined;
  const { schema, dialect, table } = modelSql(cls);
  let mask = 0;
  for (const name in values) {
    if (!Object.hasOwn(values, name) || values[name] === undefined) continue;
    const field = schema.field(name);
    if (!field || field.index > 30 || checkValue(schema, field, values[name], values) !== PASSED) {
      return undefined;
    }
    mask |= 1 << field.index;
  }
  const object = conditions as Record<string, unknown> | undefined;
  const shape = mask === 0 ? undefined : knownShape(table, mask, object);
  if (shape === undefined) return undefined;
  const bound = boundParams(schema, dialect, shape.fields, values, object);
  return { text: shape.text, params: bound, returnsRows: false };
}

const changesOf = (result: QueryResult): number => result.changes;

/** `Model.updateAll`: planned at once when it can be, through the flow otherwise. */
export function updateAll(
  cls: ModelClass,
  values: Record<string, unknown>,
  conditions: unknown,
  params: readonly unknown[] | undefined,
): unknown {
  const engine = engineOf(cls);
  let query: DriverQuery | undefined;
  try {
    query = planned(cls, values, conditions, params);
  } catch (error) {
    return engine.rejected(error);
  }
  return query
    ? engine.query(query, changesOf, undefined)
    : run(cls, updateAllFlow(cls, values, conditions, params));
}
