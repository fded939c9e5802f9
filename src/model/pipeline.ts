/**
 * Save and delete as pipelines of small steps, per model class: prepare, validate, before-steps,
 * the statement (an INSERT, an UPDATE with extensible SET and WHERE, a DELETE), after-steps. Hooks,
 * timestamps, soft delete and optimistic locking hang their steps here; a class inherits its base's
 * pipelines and extends its own copy.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { ExtraWhere, TableSql } from "../dialect/table_sql.ts";
import type { Frame } from "../run/frame.ts";
import type { Flow } from "../run/request.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";
import type { SqlFragment } from "../sql/fragment.ts";
import type { ModelClass, RecordBase } from "./record.ts";

/** What one save or delete knows as it goes; steps read it and change it. */
export interface WriteContext {
  /** The model class. */
  readonly cls: ModelClass;
  /** The record being written. */
  readonly record: RecordBase;
  /** The record's values by field index (live: a step that sets one changes the record). */
  readonly values: unknown[];
  /** Its schema, dialect and statements. */
  readonly schema: Schema;
  readonly dialect: Dialect;
  readonly table: TableSql;
  /** True for an insert (a record not stored yet). */
  readonly isNew: boolean;
  /**
   * The fields the statement writes: every given field of a new record, the changed ones of a
   * stored one. A step that sets a value (a timestamp, a lock version) adds its field here.
   */
  fields: FieldInfo[];
  /** Conditions the UPDATE or DELETE carries after the key (a lock version, a scope). */
  readonly where: SqlFragment[];
  /** Names the SQL shape of `where`, for the statement cache; a step that adds a condition extends it. */
  whereKey: string;
  /** Set by a step when there is nothing to write (a stored record without changes). */
  skip: boolean;
  /** The statement's result, for after-steps. */
  result: QueryResult | undefined;
  /** The transaction level the write runs in, when it opened one (hooks); its statements name it. */
  frame: Frame | undefined;
  /** `delete({ force: true })`: remove the row even where a soft delete would keep it. */
  force: boolean;
  /** Set by a soft delete: the row was kept and marked deleted. */
  soft: boolean;
  /** The error when the UPDATE or DELETE matched no row (set by optimistic locking: a stale copy). */
  conflict: (() => Error) | undefined;
}

/** One step; it may run statements and user code by yielding requests. */
export type WriteStep = (context: WriteContext) => Flow<void> | void;

/** The steps of a save or a delete, in order. */
export interface Pipeline {
  /** Put the values in shape: defaults, stored forms, the fields to write. */
  readonly prepare: readonly WriteStep[];
  /** Check them; a step throws `ValidationError`. */
  readonly validate: readonly WriteStep[];
  /** Before the statement (hooks: beforeSave, beforeCreate, ...). */
  readonly before: readonly WriteStep[];
  /** The statement itself. */
  readonly write: WriteStep;
  /** After the statement (hooks: afterCreate, ...). */
  readonly after: readonly WriteStep[];
}

/** A pipeline's phases that hold lists of steps. */
export type Phase = "prepare" | "validate" | "before" | "after";

/** The extra conditions of a write, for `TableSql.withExtra`. */
export function extraWhere(context: WriteContext): ExtraWhere | undefined {
  return context.where.length ? { key: context.whereKey, conditions: context.where } : undefined;
}

/** Adds a condition to the UPDATE or DELETE of `context`; `key` names its SQL shape. */
export function addCondition(context: WriteContext, key: string, condition: SqlFragment): void {
  context.where.push(condition);
  context.whereKey += `|${key}`;
}

/** Runs `steps` on `context`, in order. */
export function* runSteps(steps: readonly WriteStep[], context: WriteContext): Flow<void> {
  for (const step of steps) {
    const flow = step(context);
    if (flow) yield* flow;
  }
}

/** The statement and what surrounds it: before-steps, the write, after-steps. */
export function* runWrite(pipeline: Pipeline, context: WriteContext): Flow<void> {
  yield* runSteps(pipeline.before, context);
  const written = pipeline.write(context);
  if (written) yield* written;
  yield* runSteps(pipeline.after, context);
}

/** Runs the steps of `pipeline` on `context`; false when a step found nothing to write. */
export function* runPipeline(pipeline: Pipeline, context: WriteContext): Flow<boolean> {
  yield* runSteps(pipeline.prepare, context);
  yield* runSteps(pipeline.validate, context);
  if (context.skip) return false;
  yield* runWrite(pipeline, context);
  return true;
}

const OWN = { save: Symbol("save pipeline"), delete: Symbol("delete pipeline") };
const defaults: { save?: Pipeline; delete?: Pipeline } = {};

/** Which pipeline: of `save()` or of `delete()`. */
export type PipelineKind = "save" | "delete";

/** Sets the pipeline every model starts with (by the save and delete modules). */
export function setDefaultPipeline(kind: PipelineKind, pipeline: Pipeline): void {
  defaults[kind] = pipeline;
}

/** The `kind` pipeline of `cls`: its own, or the nearest base's, or the default. */
export function pipelineOf(cls: ModelClass, kind: PipelineKind): Pipeline {
  const own = (cls as unknown as Record<symbol, Pipeline | undefined>)[OWN[kind]];
  return own ?? defaults[kind]!;
}

function setOwn(cls: ModelClass, kind: PipelineKind, pipeline: Pipeline): void {
  Object.defineProperty(cls, OWN[kind], { value: pipeline, configurable: true, writable: true });
}

/**
 * Adds `step` to `phase` of `cls`'s `kind` pipeline, in its own copy: the base's and its other
 * subclasses' pipelines are left as they are.
 */
export function addStep(cls: ModelClass, kind: PipelineKind, phase: Phase, step: WriteStep): void {
  const current = pipelineOf(cls, kind);
  setOwn(cls, kind, { ...current, [phase]: [...current[phase], step] });
}

/** Replaces the statement of `cls`'s `kind` pipeline (soft delete turns DELETE into UPDATE). */
export function replaceWrite(cls: ModelClass, kind: PipelineKind, write: WriteStep): void {
  setOwn(cls, kind, { ...pipelineOf(cls, kind), write });
}
