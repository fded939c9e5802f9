/**
 * `save()`: the default save pipeline (prepare, validate, INSERT or UPDATE) and the flow that runs a
 * model's pipeline on a record.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import { RecordDeletedError, ValidationError } from "../errors.ts";
import type { Flow } from "../run/request.ts";
import { atomically } from "../transaction/flows.ts";
import type { TxFrame } from "../transaction/frame.ts";
import type { FieldInfo } from "../schema/schema.ts";
import { type Checked, checkValues, isValid } from "../schema/validate.ts";
import { requireValid, runChecks } from "./checks.ts";
import { fire, type Lifecycle, lifecycleOf, onTransactionEnd } from "./lifecycle.ts";
import {
  extraWhere,
  type Pipeline,
  pipelineOf,
  runPipeline,
  runSteps,
  runWrite,
  setDefaultPipeline,
  type WriteContext,
} from "./pipeline.ts";
import { engineOf, run } from "./binding.ts";
import { internals, type ModelClass, type RecordBase } from "./record.ts";
import {
  encodeFields,
  fillDefaults,
  givenFields,
  keyParams,
  modelSql,
  notFound,
  toStoredForms,
} from "./write_values.ts";

/** The fields to write and their stored forms: every given field of a new record, the changed ones of a stored one. */
function prepare(context: WriteContext): void {
  const { schema, values } = context;
  if (context.isNew) {
    fillDefaults(schema, values);
    context.fields = givenFields(schema, values);
  } else {
    context.fields = internals.changedFields(context.record);
    if (context.fields.length === 0) context.skip = true;
  }
}

/**
 * Required, type, length and custom checks: a new record in full, a stored one on what changed.
 * Without custom checks (or with none left to run) it is done at once; otherwise it returns the
 * flow that runs them.
 */
function validate(context: WriteContext): Flow<void> | undefined {
  const { schema, values, isNew } = context;
  const checked = isNew
    ? checkValues(schema, values, true)
    : checkValues(schema, values, false, context.fields);
  if (checked.pending.length || schema.recordChecks.length) return validateFurther(context, checked);
  if (!isValid(checked.errors)) throw new ValidationError(context.cls.name, checked.errors);
  toStoredForms(context.fields, values);
}

/** Runs the custom checks `validate` left, then puts the values in their stored forms. */
function* validateFurther(context: WriteContext, checked: Checked): Flow<void> {
  const errors = yield* runChecks(checked, context.schema, context.values, context.frame);
  if (!isValid(errors)) throw new ValidationError(context.cls.name, errors);
  toStoredForms(context.fields, context.values);
}

function generatedKey(field: FieldInfo, raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  return field.spec.kind === "bigint" ? BigInt(raw as number) : Number(raw);
}

/** The `INSERT` of a new record; with `RETURNING` of the key where the database generates it. */
function insertQuery(context: WriteContext): DriverQuery {
  const { dialect, table, values, fields } = context;
  const returning = wantsKey(context) && dialect.insertedKeyFrom === "returning"
    ? ` RETURNING ${table.keyColumn}`
    : "";
  return {
    text: table.insert(fields, 1, returning),
    params: encodeFields(dialect, fields, values),
    returnsRows: returning !== "",
    bigints: table.bigints,
  };
}

/** True when the database generates the key of this insert. */
function wantsKey({ schema, values }: WriteContext): boolean {
  const key = schema.primaryKey;
  return key !== undefined && schema.autoIncrement && values[key.index] === undefined;
}

/** Takes the generated key from the insert's result (its RETURNING row, or the driver's last id). */
function inserted(context: WriteContext, result: QueryResult): void {
  const key = context.schema.primaryKey;
  if (key !== undefined && wantsKey(context)) {
    context.values[key.index] = generatedKey(
      key,
      context.dialect.insertedKeyFrom === "returning" ? result.rows[0]?.[0] : result.lastInsertId,
    );
  }
  context.result = result;
}

/** `INSERT`, reading back a key the database generates. */
function* insert(context: WriteContext): Flow<void> {
  inserted(context, yield { kind: "query", query: insertQuery(context), frame: context.frame });
}

/** The `UPDATE ... SET <fields> WHERE <key> [AND <extra conditions>]` of a save. */
function updateQuery(context: WriteContext): DriverQuery {
  const { cls, dialect, table, values, fields } = context;
  const params = keyParams(cls, context, context.record, "updated", encodeFields(dialect, fields, values));
  const where = extraWhere(context);
  if (where === undefined) {
    return { text: table.update(fields), params, returnsRows: false, bigints: table.bigints };
  }
  const { text, params: extra } = table.withExtra(table.update(fields), params.length, where);
  for (const value of extra) params.push(value);
  return { text, params, returnsRows: false, bigints: table.bigints };
}

/** `UPDATE ... SET <fields> WHERE <key> [AND <extra conditions>]`; its result. */
export function* updateRow(context: WriteContext): Flow<QueryResult> {
  const result: QueryResult = yield { kind: "query", query: updateQuery(context), frame: context.frame };
  context.result = result;
  return result;
}

/** The error of a write that matched no row: a stale copy (optimistic locking), or a row that is gone. */
export function missingRow(context: WriteContext): Error {
  return context.conflict?.() ?? notFound(context.cls, context.schema);
}

/** `updateRow`, where no row matched is `RecordNotFoundError` (or `StaleObjectError` with a lock). */
function* update(context: WriteContext): Flow<void> {
  const result = yield* updateRow(context);
  if (result.changes === 0) throw missingRow(context);
}

/** The statement of a save: INSERT for a new record, UPDATE for a stored one. */
function write(context: WriteContext): Flow<void> {
  return context.isNew ? insert(context) : update(context);
}

/** The save pipeline every model starts with. */
export const DEFAULT_SAVE: Pipeline = {
  prepare: [prepare],
  validate: [validate],
  before: [],
  write,
  after: [],
};
setDefaultPipeline("save", DEFAULT_SAVE);

/** A fresh context for writing `record` of `cls`. */
export function writeContext(record: RecordBase, cls: ModelClass): WriteContext {
  const { schema, dialect, table } = modelSql(cls);
  return {
    cls,
    record,
    values: internals.values(record),
    schema,
    dialect,
    table,
    isNew: !internals.isPersisted(record),
    fields: [],
    where: [],
    whereKey: "",
    skip: false,
    result: undefined,
    frame: undefined,
    force: false,
    soft: false,
    conflict: undefined,
  };
}

/** The typed error for writing a record that was deleted. */
export function deletedError(cls: ModelClass, verb: string): RecordDeletedError {
  return new RecordDeletedError(
    `this ${cls.name} was deleted and cannot be ${verb}: a deleted record stays deleted (make a new one)`,
  );
}

/**
 * Inserts a new record or updates the changed fields of a stored one, through `cls`'s save pipeline.
 * With hooks or listeners, the save and its hooks run in a transaction (a savepoint inside one).
 * (`save` takes models on the default pipeline without hooks straight to their statement.)
 */
export function* saveFlow<T extends RecordBase>(record: T, cls: ModelClass): Flow<T> {
  if (internals.isDeleted(record)) throw deletedError(cls, "saved");
  const context = writeContext(record, cls);
  const pipeline = pipelineOf(cls, "save");
  const lifecycle = lifecycleOf(cls);
  if (lifecycle) {
    yield* runSteps(pipeline.prepare, context);
    if (context.skip) return record; // nothing changed: no hooks run, nothing is written
    yield* atomically(context.dialect, (frame) => hookedSave(context, pipeline, lifecycle, frame));
    return record;
  }
  if (!(yield* runPipeline(pipeline, context))) return record;
  internals.markPersisted(record);
  return record;
}

/** The rest of a default save once prepared: its custom checks if any, then its statement. */
function* checkedSave<T extends RecordBase>(
  context: WriteContext,
  checking: Flow<void> | undefined,
): Flow<T> {
  if (checking) yield* checking;
  return written(yield { kind: "query", query: statementOf(context) }, context) as T;
}

/** The INSERT of a new record, the UPDATE of a stored one. */
function statementOf(context: WriteContext): DriverQuery {
  return context.isNew ? insertQuery(context) : updateQuery(context);
}

/** Takes in the result of a default save's statement; returns the record, now stored. */
function written(result: QueryResult, context: WriteContext): RecordBase {
  if (context.isNew) inserted(context, result);
  else if (result.changes === 0) throw missingRow(context);
  internals.markPersisted(context.record);
  return context.record;
}

/**
 * `save()`. A model on the default pipeline with no hooks or listeners has its save prepared,
 * checked and planned at once and run without a flow (unless custom checks remain to run);
 * everything else goes through `saveFlow`.
 */
export function save(record: RecordBase, cls: ModelClass): unknown {
  if (internals.isDeleted(record) || lifecycleOf(cls) || pipelineOf(cls, "save") !== DEFAULT_SAVE) {
    return run(cls, saveFlow(record, cls));
  }
  const engine = engineOf(cls);
  let context: WriteContext;
  let query: DriverQuery;
  try {
    context = writeContext(record, cls);
    prepare(context);
    if (context.skip) return engine.resolved(record);
    const checking = validate(context);
    if (checking) return run(cls, checkedSave(context, checking));
    query = statementOf(context);
  } catch (error) {
    return engine.rejected(error);
  }
  return engine.query(query, written, context);
}

/**
 * A save with hooks, inside `frame`: beforeValidate, validation, afterValidate, beforeSave,
 * beforeCreate / beforeUpdate, the statement, afterCreate / afterUpdate, afterSave; afterCommit once
 * the outermost transaction commits. Values the before-hooks set are written (and checked) too.
 */
function* hookedSave(
  context: WriteContext,
  pipeline: Pipeline,
  lifecycle: Lifecycle,
  frame: TxFrame,
): Flow<void> {
  const { record, isNew } = context;
  context.frame = frame;
  const snapshot = internals.snapshot(record);
  yield* fire(lifecycle, "beforeValidate", record, frame);
  yield* prepareAgain(pipeline, context);
  yield* runSteps(pipeline.validate, context);
  yield* fire(lifecycle, "afterValidate", record, frame);
  yield* fire(lifecycle, "beforeSave", record, frame);
  yield* fire(lifecycle, isNew ? "beforeCreate" : "beforeUpdate", record, frame);
  const checked = context.fields;
  yield* prepareAgain(pipeline, context);
  yield* checkAdded(context, checked);
  if (!context.skip) {
    yield* runWrite(pipeline, context);
    internals.markPersisted(record);
    onTransactionEnd(frame, record, lifecycle, snapshot);
  }
  yield* fire(lifecycle, isNew ? "afterCreate" : "afterUpdate", record, frame);
  yield* fire(lifecycle, "afterSave", record, frame);
}

/** Prepares again: a hook may have changed values, and so the fields to write. */
function prepareAgain(pipeline: Pipeline, context: WriteContext): Flow<void> {
  context.skip = false;
  return runSteps(pipeline.prepare, context);
}

/** Checks the fields a before-hook added to the write (and puts them in their stored form). */
function* checkAdded(context: WriteContext, checked: readonly FieldInfo[]): Flow<void> {
  const added = context.fields.filter((field) => !checked.includes(field));
  if (added.length === 0) return;
  const { cls, schema, values, isNew, frame } = context;
  yield* requireValid(cls.name, schema, values, isNew, added, frame);
  toStoredForms(added, values);
}
