/**
 * Validation as a flow: the built-in checks (pure, in `schema/validate.ts`), then the custom checks
 * of columns and of the record. A check that returns a Promise is awaited in async mode and a
 * `TypeError` in sync mode; inside a write's own transaction, queries a check issues join it.
 * @module
 */
import { ValidationError, type ValidationErrors } from "../errors.ts";
import type { Frame } from "../run/frame.ts";
import { type Flow, invoke } from "../run/request.ts";
import { isThenable } from "../run/thenable.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";
import { fire, lifecycleOf } from "./lifecycle.ts";
import { internals, type ModelClass, type RecordBase } from "./record.ts";
import {
  addVerdict,
  type Checked,
  checkValues,
  isValid,
  type PendingCheck,
  recordChecks,
} from "../schema/validate.ts";

/** Runs one custom check and adds its verdict to `errors`. */
function* runCheck(errors: ValidationErrors, check: PendingCheck, frame: Frame | undefined): Flow<void> {
  const what = `the check of ${check.label}`;
  let verdict: unknown;
  if (frame) {
    verdict = yield* invoke(check.run, what, frame);
  } else {
    verdict = check.run();
    if (isThenable(verdict)) {
      const pending = verdict;
      verdict = yield* invoke(() => pending, what);
    }
  }
  addVerdict(errors, check.key, verdict);
}

/** Runs `pending` checks, adding their messages to `errors`. */
export function* runPending(
  errors: ValidationErrors,
  pending: readonly PendingCheck[],
  frame?: Frame,
): Flow<ValidationErrors> {
  for (const check of pending) yield* runCheck(errors, check, frame);
  return errors;
}

/** Runs the custom checks of `checked`, then (when the fields are valid) the record's; all messages. */
export function* runChecks(
  checked: Checked,
  schema: Schema,
  values: readonly unknown[],
  frame?: Frame,
): Flow<ValidationErrors> {
  // A copy: the checks add to it, and a valid record's `errors` is shared.
  const errors = yield* runPending({ ...checked.errors }, checked.pending, frame);
  if (isValid(errors)) {
    for (const check of recordChecks(schema, values)) yield* runCheck(errors, check, frame);
  }
  return errors;
}

/** Every check of a record's values; the messages (empty when valid). See `checkValues` for `isNew` and `only`. */
export function validationFlow(
  schema: Schema,
  values: readonly unknown[],
  isNew: boolean,
  only?: readonly FieldInfo[],
  frame?: Frame,
): Flow<ValidationErrors> {
  return runChecks(checkValues(schema, values, isNew, only), schema, values, frame);
}

/** Like `validationFlow`, but a `ValidationError` (naming `model`) when a check fails. */
export function* requireValid(
  model: string,
  schema: Schema,
  values: readonly unknown[],
  isNew: boolean,
  only?: readonly FieldInfo[],
  frame?: Frame,
): Flow<void> {
  const errors = yield* validationFlow(schema, values, isNew, only, frame);
  if (!isValid(errors)) throw new ValidationError(model, errors);
}

/** `record.validate()`: beforeValidate, every check of the record, afterValidate; the messages. */
export function* validateRecordFlow(record: RecordBase, cls: ModelClass): Flow<ValidationErrors> {
  const lifecycle = lifecycleOf(cls);
  if (lifecycle) yield* fire(lifecycle, "beforeValidate", record);
  const errors = yield* validationFlow(cls.schema, internals.values(record), !internals.isPersisted(record));
  if (lifecycle) yield* fire(lifecycle, "afterValidate", record);
  return errors;
}
