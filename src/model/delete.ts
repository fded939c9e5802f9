/**
 * `delete()`: the default delete pipeline (a DELETE by key, with any extra conditions) and its flow.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import type { Flow } from "../run/request.ts";
import { atomically } from "../transaction/flows.ts";
import { fire, lifecycleOf, onTransactionEnd } from "./lifecycle.ts";
import {
  extraWhere,
  type Pipeline,
  pipelineOf,
  runPipeline,
  setDefaultPipeline,
  type WriteContext,
} from "./pipeline.ts";
import { internals, type ModelClass, type RecordBase } from "./record.ts";
import { deletedError, writeContext } from "./save.ts";
import { keyParams } from "./write_values.ts";
import { ArgumentError } from "../errors.ts";

/** Options of `delete()`. */
export interface DeleteOptions {
  /** Remove the row even on a model with soft deletes. */
  readonly force?: boolean;
}

/** `DELETE FROM <table> WHERE <key> [AND <extra conditions>]`. */
export function* removeRow(context: WriteContext): Flow<void> {
  const { cls, table } = context;
  const params = keyParams(cls, context, context.record, "deleted");
  const { text, params: extra } = table.withExtra(table.deleteByKey, params.length, extraWhere(context));
  const result: QueryResult = yield {
    kind: "query",
    query: { text, params: extra.length ? params.concat(extra) : params, returnsRows: false },
    frame: context.frame,
  };
  context.result = result;
}

/** The delete pipeline every model starts with. */
export const DEFAULT_DELETE: Pipeline = {
  prepare: [],
  validate: [],
  before: [],
  write: removeRow,
  after: [],
};
setDefaultPipeline("delete", DEFAULT_DELETE);

/**
 * Deletes a record's row through `cls`'s delete pipeline; true when a row was deleted. With hooks or
 * listeners: beforeDelete, the statement, afterDelete, in a transaction (a savepoint inside one).
 */
export function* deleteFlow(record: RecordBase, cls: ModelClass, options: DeleteOptions = {}): Flow<boolean> {
  if (cls.schema.keyFields.length === 0) {
    throw new ArgumentError(`${cls.name} has no primary key, so a single record cannot be deleted`);
  }
  if (internals.isDeleted(record)) throw deletedError(cls, "deleted again");
  if (!internals.isPersisted(record)) return false;
  const context = writeContext(record, cls);
  context.force = options.force === true;
  const pipeline = pipelineOf(cls, "delete");
  const lifecycle = lifecycleOf(cls);
  if (!lifecycle) {
    yield* runPipeline(pipeline, context);
    return deleted(context);
  }
  return yield* atomically(context.dialect, function* (frame) {
    context.frame = frame;
    const snapshot = internals.snapshot(record);
    yield* fire(lifecycle, "beforeDelete", record, frame);
    yield* runPipeline(pipeline, context);
    const removed = deleted(context);
    onTransactionEnd(frame, record, lifecycle, snapshot);
    yield* fire(lifecycle, "afterDelete", record, frame);
    return removed;
  });
}

/** Marks the record deleted (a soft delete keeps it stored, with its new values); true when a row was. */
function deleted(context: WriteContext): boolean {
  if (context.soft) internals.markPersisted(context.record);
  internals.markDeleted(context.record, context.soft);
  return (context.result?.changes ?? 0) > 0;
}
