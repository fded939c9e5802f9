/**
 * Writes of many rows at once: `insertMany`, `updateAll`, `deleteAll`, and `upsert`. They skip the
 * per-record pipelines (and so, later, per-record hooks).
 * @module
 */
import type { QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { TableSql } from "../dialect/table_sql.ts";
import { ArgumentError, ValidationError, type ValidationErrors } from "../errors.ts";
import { compileSelect } from "../query/compile.ts";
import {
  checkConditionValue,
  combine,
  condition,
  isPlainObject,
  objectCondition,
} from "../query/conditions.ts";
import { scopeCondition, SOFT_DELETE } from "../relation/source.ts";
import { initialState } from "../query/state.ts";
import { execute, type Flow } from "../run/request.ts";
import type { Statement } from "../run/statement.ts";
import { storedForm } from "../schema/normalize.ts";
import type { ColumnMap, FieldInfo, Schema } from "../schema/schema.ts";
import { checkValue, checkValues, isValid, type PendingCheck } from "../schema/validate.ts";
import { requireValid, runChecks, runPending } from "./checks.ts";
import { SqlWriter } from "../sql/writer.ts";
import { atomically } from "../transaction/flows.ts";
import { sourceOf } from "./binding.ts";
import { decodeRow } from "./hydrate.ts";
import { internals, type ModelClass, newValues, type RecordBase } from "./record.ts";
import {
  encodeFields,
  fillDefaults,
  givenFields,
  modelSql as context,
  notFound,
  toStoredForms,
} from "./write_values.ts";

type AnyRecord = RecordBase;

/** Options of `upsert`. */
export interface UpsertOptions<C extends ColumnMap> {
  /** The unique columns that identify an existing row. */
  readonly conflict: readonly (keyof C & string)[];
  /** The columns to overwrite on conflict (default: every given column but the conflict columns and the key). */
  readonly update?: readonly (keyof C & string)[];
}

/** Mixin columns an upsert leaves as they are on the existing row: when it was made, its lock version. */
const KEPT_ON_UPSERT = new Set(["createdAt", "lockVersion"]);

/** Most parameters one statement may carry (under every supported database's limit). */
const MAX_PARAMS = 30000;
const MAX_ROWS_PER_INSERT = 500;

/** Rows that set the same fields: one INSERT shape. */
interface InsertGroup {
  readonly fields: FieldInfo[];
  readonly rows: unknown[][];
}

/**
 * Validates then inserts many rows, all or nothing. Rows become value arrays, not records (no
 * constructor runs: bulk writes skip per-record code), grouped by the fields they set.
 */
export function* insertManyFlow(cls: ModelClass, rows: readonly Record<string, unknown>[]): Flow<number> {
  const { schema, dialect, table } = context(cls);
  if (!Array.isArray(rows)) throw new ArgumentError("insertMany expects an array of objects");
  let errors: ValidationErrors | undefined;
  const groups = new Map<number | string, InsertGroup>();
  for (let i = 0; i < rows.length; i++) {
    const values = newValues(schema, rows[i], cls.name);
    fillDefaults(schema, values);
    const checked = checkValues(schema, values, true);
    if (!isValid(checked.errors) || checked.pending.length || schema.recordChecks.length) {
      const rowErrors = yield* runChecks(checked, schema, values);
      for (const field in rowErrors) (errors ??= {})[`${i}.${field}`] = rowErrors[field];
    }
    let mask: number | string = 0;
    for (const field of schema.fields) {
      if (values[field.index] === undefined) continue;
      if (field.index > 30 || typeof mask === "string") mask = `${mask},${field.index}`;
      else mask |= 1 << field.index;
    }
    let group = groups.get(mask);
    if (!group) groups.set(mask, group = { fields: givenFields(schema, values), rows: [] });
    toStoredForms(group.fields, values);
    group.rows.push(values);
  }
  if (errors) throw new ValidationError(cls.name, errors);
  if (rows.length === 0) return 0;
  return yield* atomically(dialect, function* (frame) {
    let inserted = 0;
    for (const { fields, rows: group } of groups.values()) {
      const perStatement = Math.max(
        1,
        Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / (fields.length || 1))),
      );
      for (let start = 0; start < group.length; start += perStatement) {
        const chunk = group.slice(start, start + perStatement);
        const params = new Array<unknown>(chunk.length * fields.length);
        let n = 0;
        for (const values of chunk) {
          for (let f = 0; f < fields.length; f++) {
            const value = values[fields[f].index];
            params[n] = dialect.encodeParam(value === undefined ? null : value, fields[f].spec.kind, ++n);
          }
        }
        const text = fields.length ? table.insert(fields, chunk.length) : table.insert(fields);
        const times = fields.length ? 1 : chunk.length; // a row of defaults only is inserted one by one
        for (let t = 0; t < times; t++) {
          const result = yield* execute({ text, params, returnsRows: false, bigints: table.bigints }, frame);
          inserted += result.changes;
        }
      }
    }
    return inserted;
  });
}

/** The fields `updateAll` sets (a value given as `undefined` is not set), and what checking them found. */
interface SetFields {
  readonly fields: FieldInfo[];
  /** Names the fields: the bits of their positions (or the positions, past 31 fields). */
  readonly key: string;
  readonly errors: ValidationErrors | undefined;
  readonly pending: PendingCheck[] | undefined;
}

/** The fields `updateAll` sets, with their built-in checks done and custom ones to run. */
function setFields(schema: Schema, values: Record<string, unknown>): SetFields {
  if (!isPlainObject(values)) throw new ArgumentError("updateAll expects a plain object of values");
  const fields: FieldInfo[] = [];
  let mask = 0;
  let wide = false;
  let errors: ValidationErrors | undefined;
  let pending: PendingCheck[] | undefined;
  for (const name in values) {
    if (!Object.hasOwn(values, name) || values[name] === undefined) continue;
    const field = schema.requireField(name, "updateAll");
    fields.push(field);
    if (field.index > 30) wide = true;
    else mask |= 1 << field.index;
    const checked = checkValue(schema, field, values[name], values);
    if (!isValid(checked.errors)) Object.assign(errors ??= {}, checked.errors);
    if (checked.pending.length) (pending ??= []).push(...checked.pending);
  }
  if (fields.length === 0) throw new ArgumentError("updateAll needs at least one value to set");
  return { fields, key: wide ? fields.map((f) => f.index).join(",") : String(mask), errors, pending };
}

/** The value `values` gives `field`, by property or column name. */
function valueOf(values: Record<string, unknown>, field: FieldInfo): unknown {
  return Object.hasOwn(values, field.name) ? values[field.name] : values[field.column];
}

/** The encoded SET values, in order. */
function setParams(
  dialect: Dialect,
  fields: readonly FieldInfo[],
  values: Record<string, unknown>,
): unknown[] {
  return fields.map((field, i) =>
    dialect.encodeParam(storedForm(field.spec, valueOf(values, field)) ?? null, field.spec.kind, i + 1)
  );
}

/** Texts of bulk statements by their shape (set columns, condition shape), per table and dialect. */
const bulkTexts = new WeakMap<TableSql, Map<string, string>>();

function textsOf(table: TableSql): Map<string, string> {
  let texts = bulkTexts.get(table);
  if (!texts) bulkTexts.set(table, texts = new Map());
  return texts;
}

/**
 * The SQL shape of an object condition (per key: IS NULL, IN of n values, or =), which fixes its
 * text; undefined for SQL conditions, whose text is the caller's.
 */
function conditionShape(conditions: unknown): string | undefined {
  if (conditions === undefined) return "";
  if (!isPlainObject(conditions)) return undefined;
  let shape = "";
  for (const name in conditions) {
    if (!Object.hasOwn(conditions, name)) continue;
    const value = conditions[name];
    shape += `${name}:${value === null ? "null" : Array.isArray(value) ? `in${value.length}` : "="};`;
  }
  return shape;
}

/** The parameters `objectCondition` would bind for `conditions`, with the same checks, appended to `out`. */
function conditionParams(
  schema: Schema,
  dialect: Dialect,
  conditions: Readonly<Record<string, unknown>> | undefined,
  where: string,
  out: unknown[],
): void {
  for (const name in conditions) {
    if (!Object.hasOwn(conditions, name)) continue;
    const field = schema.requireField(name, where);
    const value = conditions[name];
    if (value === null) continue;
    if (value === undefined) {
      throw new ArgumentError(`${where}: ${schema.table}.${field.name} is undefined; use null for IS NULL`);
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) throw new ArgumentError(`${where}: a list cannot hold null`);
      checkConditionValue(schema, field, item, where);
      out.push(dialect.encodeParam(item, field.spec.kind, out.length + 1));
    }
  }
}

/**
 * Updates every row matching `conditions`. A plain-object condition on a model without default
 * scopes reuses the statement text of the same shape: only the values are encoded again.
 */
export function* updateAllFlow(
  cls: ModelClass,
  values: Record<string, unknown>,
  conditions: unknown,
  params?: readonly unknown[],
): Flow<number> {
  const { schema, dialect, table } = context(cls);
  const set = setFields(schema, values);
  const { fields } = set;
  let errors = set.errors;
  if (set.pending) errors = yield* runPending(errors ?? {}, set.pending);
  if (errors && !isValid(errors)) throw new ValidationError(cls.name, errors);
  const shape = params === undefined && sourceOf(cls).scopes().length === 0
    ? conditionShape(conditions)
    : undefined;
  const key = shape === undefined ? undefined : `update:${set.key}:${shape}`;
  const cached = key === undefined ? undefined : textsOf(table).get(key);
  if (cached !== undefined) {
    const bound = setParams(dialect, fields, values);
    conditionParams(schema, dialect, conditions as Record<string, unknown> | undefined, "updateAll", bound);
    const result: QueryResult = yield {
      kind: "query",
      query: { text: cached, params: bound, returnsRows: false },
    };
    return result.changes;
  }
  const writer = new SqlWriter(dialect).raw(`UPDATE ${table.table} SET `);
  writer.list(fields, (field) => {
    writer.id(field.column).raw(" = ").param(
      storedForm(field.spec, valueOf(values, field)) ?? null,
      field.spec.kind,
    );
  });
  appendWhere(writer, cls, conditions, params, "updateAll");
  if (key !== undefined) textsOf(table).set(key, writer.text);
  return (yield* execute({ text: writer.text, params: writer.params, returnsRows: false })).changes;
}

/** Options of `deleteAll`. */
export interface DeleteAllOptions {
  /** Remove the rows even on a model with soft deletes (soft-deleted ones included). */
  readonly force?: boolean;
}

/**
 * Deletes every row matching `conditions`; with soft deletes (and no `force`), sets their
 * `deletedAt` instead (and bumps a lock version).
 */
export function* deleteAllFlow(
  cls: ModelClass,
  conditions: unknown,
  params?: readonly unknown[],
  options: DeleteAllOptions = {},
): Flow<number> {
  const { schema, dialect, table } = context(cls);
  const { deletedAt, lockVersion } = schema.roles;
  if (!deletedAt || options.force) {
    const writer = new SqlWriter(dialect).raw(`DELETE FROM ${table.table}`);
    return yield* runWithWhere(writer, cls, conditions, params, "deleteAll", deletedAt !== undefined);
  }
  const writer = new SqlWriter(dialect).raw(`UPDATE ${table.table} SET `).id(deletedAt.column).raw(" = ")
    .param(new Date(), "datetime");
  if (lockVersion) writer.raw(", ").id(lockVersion.column).raw(" = ").id(lockVersion.column).raw(" + 1");
  return yield* runWithWhere(writer, cls, conditions, params, "deleteAll");
}

/** Appends the WHERE of `conditions` (none: every row) and of the model's default scopes. */
function appendWhere(
  writer: SqlWriter,
  cls: ModelClass,
  conditions: unknown,
  params: readonly unknown[] | undefined,
  where: string,
  withDeleted = false,
): void {
  const given = conditions === undefined
    ? undefined
    : condition(cls.schema, conditions as Statement, params, where);
  let scopes = sourceOf(cls).scopes();
  if (withDeleted) scopes = scopes.filter((scope) => scope.name !== SOFT_DELETE);
  const clause = combine(scopeCondition(scopes), given, "AND");
  if (clause) writer.raw(" WHERE ").fragment(clause);
}

/** Ends `writer`'s statement with its WHERE, runs it, returns the rows changed. */
function* runWithWhere(
  writer: SqlWriter,
  cls: ModelClass,
  conditions: unknown,
  params: readonly unknown[] | undefined,
  where: string,
  withDeleted = false,
): Flow<number> {
  appendWhere(writer, cls, conditions, params, where, withDeleted);
  const result = yield* execute({ text: writer.text, params: writer.params, returnsRows: false });
  return result.changes;
}

/** Inserts a record or updates the row with the same conflict columns; loads the stored row. */
export function* upsertFlow<T extends AnyRecord>(
  record: T,
  cls: ModelClass,
  options: UpsertOptions<ColumnMap>,
): Flow<T> {
  const { schema, dialect, table } = context(cls);
  const values = internals.values(record);
  fillDefaults(schema, values);
  yield* requireValid(cls.name, schema, values, true);
  if (!options || !Array.isArray(options.conflict) || options.conflict.length === 0) {
    throw new ArgumentError("upsert needs { conflict: [unique columns] }");
  }
  const conflict = options.conflict.map((name) => schema.requireField(name, "upsert conflict"));
  for (const field of conflict) {
    if (values[field.index] === undefined) {
      throw new ArgumentError(`upsert: conflict column ${field.name} has no value`);
    }
  }
  const fields = givenFields(schema, values);
  toStoredForms(fields, values);
  const update = options.update
    ? options.update.map((name) => schema.requireField(name, "upsert update"))
    : fields.filter((f) => !conflict.includes(f) && !f.spec.primaryKey && !KEPT_ON_UPSERT.has(f.spec.role!));
  const clause = dialect.upsertClause(conflict.map((f) => f.column), update.map((f) => f.column));
  const returning = dialect.supportsReturning ? ` RETURNING ${table.columnList}` : "";
  const result = yield* execute({
    text: table.insert(fields, 1, clause + returning),
    params: encodeFields(dialect, fields, values),
    returnsRows: returning !== "",
    bigints: table.bigints,
  });
  if (returning) {
    internals.markPersisted(record, decodeRow(table, result));
    return record;
  }
  // Without RETURNING, read the row back by its conflict columns, which identify it.
  const state = {
    ...initialState(sourceOf(cls)),
    scopes: [], // the row just written, whatever the scopes say
    where: objectCondition(
      schema,
      Object.fromEntries(conflict.map((f) => [f.name, values[f.index]])),
      "upsert",
    ),
  };
  const stored = yield* execute(compileSelect(dialect, state));
  if (stored.rows.length === 0) throw notFound(cls, schema);
  internals.markPersisted(record, decodeRow(table, stored));
  return record;
}
