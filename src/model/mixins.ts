/**
 * What the mixin columns do (`timestamps()`, `softDelete()`, `optimisticLock()`): steps in a
 * model's save and delete pipelines, soft deletes' scope, and `touch()` / `restore()`.
 * @module
 */
import { ArgumentError, StaleObjectError } from "../errors.ts";
import { SOFT_DELETE } from "../relation/source.ts";
import type { Flow } from "../run/request.ts";
import type { FieldInfo } from "../schema/schema.ts";
import { Identifier, Param, SqlFragment } from "../sql/fragment.ts";
import { addCondition, addStep, pipelineOf, replaceWrite, runWrite, type WriteContext } from "./pipeline.ts";
import { internals, type ModelClass, type RecordBase } from "./record.ts";
import { removeRow } from "./delete.ts";
import { deletedError, missingRow, updateRow, writeContext } from "./save.ts";
import { addSchemaScope } from "./scopes.ts";

/** A soft-deleted row: its `deletedAt` is set. */
function notDeleted(table: string, field: FieldInfo): SqlFragment {
  return new SqlFragment([new Identifier(table, field.column), " IS NULL"]);
}

// Soft deletes' scope belongs to the schema: related rows of it are hidden even without a model.
addSchemaScope((schema) => {
  const field = schema.roles.deletedAt;
  if (!field) return undefined;
  const condition = notDeleted(schema.table, field);
  return { name: SOFT_DELETE, condition: () => condition };
});

/** Gives `cls` (made for a schema with mixin columns) the steps those columns call for. */
export function applyMixins(cls: ModelClass): void {
  const { roles } = cls.schema;
  if (roles.updatedAt) addStep(cls, "save", "before", stampUpdate(roles.updatedAt));
  if (roles.lockVersion) {
    addStep(cls, "save", "before", checkVersion(roles.lockVersion));
    addStep(cls, "delete", "before", checkVersion(roles.lockVersion));
    addStep(cls, "delete", "after", staleUnlessRemoved);
  }
  if (roles.deletedAt) replaceWrite(cls, "delete", softRemove(roles.deletedAt));
}

/** Adds `field` to what the write sets, if it is not there yet. */
function includeField(context: WriteContext, field: FieldInfo): void {
  if (!context.fields.includes(field)) context.fields.push(field);
}

/** `updatedAt` set on every update that writes (unless the update sets it itself). */
function stampUpdate(field: FieldInfo) {
  return (context: WriteContext): void => {
    if (context.isNew || context.fields.includes(field)) return;
    context.values[field.index] = new Date();
    context.fields.push(field);
  };
}

/**
 * Optimistic locking: the write applies only to the row at the version the record was read with,
 * and bumps it; matching no row then means another writer got there first.
 */
function checkVersion(field: FieldInfo) {
  return (context: WriteContext): void => {
    if (context.isNew) return;
    const version = internals.storedValue(context.record, field.index) as number;
    addCondition(
      context,
      "lockVersion",
      new SqlFragment([new Identifier(field.column), " = ", new Param(version, "integer")]),
    );
    context.values[field.index] = version + 1;
    includeField(context, field);
    context.conflict = () =>
      new StaleObjectError(
        `${context.cls.name} was changed or deleted by someone else since it was read ` +
          `(${field.name} ${version}): refresh it and try again`,
      );
  };
}

/** A locked DELETE that removed nothing: a stale copy. */
function staleUnlessRemoved(context: WriteContext): void {
  if (!context.soft && context.result?.changes === 0) throw missingRow(context);
}

/** `delete()` with soft deletes: `UPDATE ... SET deleted_at = now` of a row not deleted yet (or, forced, a DELETE). */
function softRemove(field: FieldInfo) {
  return function* (context: WriteContext): Flow<void> {
    if (context.force) return yield* removeRow(context);
    context.values[field.index] = new Date();
    context.fields = [field, ...context.fields.filter((f) => f !== field)];
    addCondition(context, "notDeleted", notDeleted(context.schema.table, field));
    context.soft = true;
    const result = yield* updateRow(context);
    if (result.changes === 0 && context.conflict) throw missingRow(context);
  };
}

/** `touch()`: sets `updatedAt` to now and writes only it (and a lock version), without validation or hooks. */
export function* touchFlow(record: RecordBase, cls: ModelClass): Flow<void> {
  const field = requireRole(cls, "updatedAt", "touch()", "...timestamps()");
  if (internals.isDeleted(record)) throw deletedError(cls, "touched");
  if (!internals.isPersisted(record)) throw new ArgumentError(`touch(): this ${cls.name} is not saved yet`);
  internals.values(record)[field.index] = new Date();
  yield* writeOnly(record, cls, field);
}

/** `restore()`: clears `deletedAt` of a soft-deleted record. */
export function* restoreFlow(record: RecordBase, cls: ModelClass): Flow<void> {
  const field = requireRole(cls, "deletedAt", "restore()", "...softDelete()");
  if (!internals.isPersisted(record)) throw new ArgumentError(`restore(): this ${cls.name} is not saved yet`);
  internals.values(record)[field.index] = null;
  yield* writeOnly(record, cls, field);
  internals.markRestored(record);
}

/** An UPDATE of `field` alone (plus what the pipeline's before-steps add), leaving other changes pending. */
function* writeOnly(record: RecordBase, cls: ModelClass, field: FieldInfo): Flow<void> {
  const context = writeContext(record, cls);
  context.fields = [field];
  yield* runWrite(pipelineOf(cls, "save"), context); // no row: RecordNotFoundError, or StaleObjectError
  internals.markStored(record, context.fields);
}

/** The field playing `role`, or an `ArgumentError` naming the mixin to add. */
function requireRole(
  cls: ModelClass,
  role: "updatedAt" | "deletedAt",
  what: string,
  mixin: string,
): FieldInfo {
  const field = cls.schema.roles[role];
  if (!field) {
    throw new ArgumentError(`${what}: ${cls.name} has no ${role} column; add ${mixin} to its schema`);
  }
  return field;
}
