/**
 * Writes of many rows at once: `insertMany`, `updateAll`, `deleteAll`, and `upsert`. They skip the
 * per-record pipelines (and so, later, per-record hooks).
 * @module
 */
import { ArgumentError, ValidationError, type ValidationErrors } from "../errors.ts";
import { compileSelect } from "../query/compile.ts";
import { combine, condition, objectCondition } from "../query/conditions.ts";
import { scopeCondition, SOFT_DELETE } from "../relation/source.ts";
import { initialState } from "../query/state.ts";
import { execute, type Flow } from "../run/request.ts";
import type { Statement } from "../run/statement.ts";
import type { ColumnMap, FieldInfo } from "../schema/schema.ts";
import { checkValues, isValid } from "../schema/validate.ts";
import { requireValid, runChecks } from "./checks.ts";
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
export function appendWhere(
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
