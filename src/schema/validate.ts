/**
 * Validation: types, not-null, max length and custom checks, run before any write. Pure, so sync
 * and async models share it.
 * @module
 */
import type { ValidationErrors } from "../errors.ts";
import type { ColumnKind, ColumnSpec, Validator } from "./column.ts";
import type { FieldInfo, Schema } from "./schema.ts";
import { integerDigits } from "./decimal.ts";
import { decimalScale, normalizeTime } from "./normalize.ts";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The message for a value of the wrong type for `kind`, or undefined when it fits. */
export function typeMismatch(kind: ColumnKind, value: unknown): string | undefined {
  switch (kind) {
    case "integer":
      return Number.isSafeInteger(value) ? undefined : "must be an integer between -(2^53-1) and 2^53-1";
    case "bigint":
      if (typeof value === "bigint") {
        return value >= INT64_MIN && value <= INT64_MAX ? undefined : "must fit in 64 bits";
      }
      return Number.isSafeInteger(value) ? undefined : "must be a bigint";
    case "real":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a finite number";
    case "decimal":
      return (typeof value === "string" && DECIMAL.test(value)) ||
          (typeof value === "number" && Number.isFinite(value))
        ? undefined
        : "must be a decimal number given as a string";
    case "text":
      if (typeof value !== "string") return "must be a string";
      if (value.includes("\0")) return "cannot contain NUL characters";
      return value.isWellFormed() ? undefined : "must be well-formed Unicode (it holds a lone surrogate)";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be a boolean";
    case "datetime":
      return value instanceof Date && !Number.isNaN(value.getTime()) ? undefined : "must be a valid Date";
    case "date":
      return (typeof value === "string" && DATE_ONLY.test(value) && !Number.isNaN(Date.parse(value))) ||
          (value instanceof Date && !Number.isNaN(value.getTime()))
        ? undefined
        : 'must be a date as "YYYY-MM-DD"';
    case "time":
      return normalizeTime(value) !== undefined ? undefined : 'must be a time of day as "HH:MM:SS"';
    case "json":
      return value === undefined || typeof value === "function" || typeof value === "symbol"
        ? "must be JSON-serializable"
        : undefined;
    case "bytes":
      return value instanceof Uint8Array || value instanceof ArrayBuffer ? undefined : "must be a Uint8Array";
    case "uuid":
      return typeof value === "string" && UUID.test(value) ? undefined : "must be a UUID";
  }
}

/** Length in characters (code points), as databases count them. */
function characterLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * The message of the built-in checks of a non-null value of `spec` (type, length, decimal range), or
 * undefined when it passes (the common case allocates nothing).
 */
function builtInMessage(spec: ColumnSpec, value: unknown): string | undefined {
  const mismatch = typeMismatch(spec.kind, value);
  if (mismatch) return mismatch;
  if (spec.maxLength !== undefined && typeof value === "string" && characterLength(value) > spec.maxLength) {
    return `is too long (maximum is ${spec.maxLength} characters)`;
  }
  if (spec.kind === "decimal" && spec.precision !== undefined) {
    const scale = decimalScale(spec)!;
    if (integerDigits(value as string, scale) > spec.precision - scale) {
      return `is out of range for decimal(${spec.precision}, ${scale})`;
    }
  }
  return undefined;
}

/** A custom check still to run: a column's `.validate()` or a record check. */
export interface PendingCheck {
  /** Where its messages go: the field's name, or `base` for a record check. */
  readonly key: string;
  /** What it checks, for error messages: `"users.email"`. */
  readonly label: string;
  /** Runs it: a verdict, or a Promise of one. */
  readonly run: () => unknown;
}

/** The built-in checks' messages, and the custom checks still to run. */
export interface Checked {
  readonly errors: ValidationErrors;
  readonly pending: readonly PendingCheck[];
}

/** The messages under which a record check's verdict goes when it names no field. */
export const BASE = "base";

/** A record's values by property name (what custom checks see). */
function recordView(schema: Schema, values: readonly unknown[]): () => Readonly<Record<string, unknown>> {
  let view: Record<string, unknown> | undefined;
  return () => view ??= Object.fromEntries(schema.fields.map((f) => [f.name, values[f.index]]));
}

/** What checking a valid value with no custom check finds: one shared object, so that `=== PASSED` tells it. */
export const PASSED: Checked = Object.freeze({
  errors: Object.freeze({}) as ValidationErrors,
  pending: Object.freeze([]),
});

/**
 * The built-in checks of a record's values (by field index), and the custom checks of the fields
 * that passed them. On a new record, missing values are allowed where the database or the library
 * fills them in; `only` limits the check to some fields (updates check what changed). A valid record
 * without custom checks allocates nothing (saves run this for every record).
 */
export function checkValues(
  schema: Schema,
  values: readonly unknown[],
  isNew: boolean,
  only?: readonly FieldInfo[],
): Checked {
  let errors: ValidationErrors | undefined;
  let pending: PendingCheck[] | undefined;
  let record: (() => Readonly<Record<string, unknown>>) | undefined;
  const fields = only ?? schema.fields;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const value = values[field.index];
    if (value === undefined || value === null) {
      // A full check skips what the database fills in; a check of changed fields (`only`) lets a
      // nullable field be cleared with undefined.
      const omittable = value === null
        ? field.spec.nullable
        : only
        ? field.spec.nullable
        : !isNew || mayBeOmitted(field, schema);
      if (!omittable) (errors ??= {})[field.name] = [value === null ? "cannot be null" : "is required"];
      continue;
    }
    const message = builtInMessage(field.spec, value);
    if (message !== undefined) {
      (errors ??= {})[field.name] = [message];
      continue;
    }
    const validators = field.spec.validators as readonly Validator<unknown>[];
    for (let v = 0; v < validators.length; v++) {
      const check = validators[v];
      record ??= recordView(schema, values);
      const view = record;
      (pending ??= []).push({
        key: field.name,
        label: `${schema.table}.${field.name}`,
        run: () => check(value, view()),
      });
    }
  }
  if (errors === undefined && pending === undefined) return PASSED;
  return { errors: errors ?? {}, pending: pending ?? [] };
}

/** The checks of the whole record, to run once its fields are valid. */
export function recordChecks(schema: Schema, values: readonly unknown[]): PendingCheck[] {
  const record = recordView(schema, values);
  return schema.recordChecks.map((check) => ({ key: BASE, label: schema.table, run: () => check(record()) }));
}

/** Adds what a check said to `errors`: nothing when valid, messages under `key` or under the fields it names. */
export function addVerdict(errors: ValidationErrors, key: string, verdict: unknown): void {
  if (verdict === true || verdict === undefined) return;
  const add = (name: string, messages: readonly unknown[]) => {
    const texts = messages.map((m) => typeof m === "string" && m ? m : "is invalid");
    (errors[name] ??= []).push(...(texts.length ? texts : ["is invalid"]));
  };
  if (typeof verdict === "string") add(key, [verdict]);
  else if (Array.isArray(verdict)) add(key, verdict);
  else if (typeof verdict === "object" && verdict !== null) {
    for (const [name, messages] of Object.entries(verdict)) add(name, [messages].flat());
  } else add(key, ["is invalid"]);
}

/** The messages of a value given for `spec` on its own (bulk updates): built-in checks, then custom ones to run. */
export function checkValue(
  schema: Schema,
  field: FieldInfo,
  value: unknown,
  record: Record<string, unknown>,
): Checked {
  if (value === undefined || value === null) {
    return field.spec.nullable ? PASSED : { errors: { [field.name]: ["cannot be null"] }, pending: [] };
  }
  const message = builtInMessage(field.spec, value);
  if (message !== undefined) return { errors: { [field.name]: [message] }, pending: [] };
  const validators = field.spec.validators as readonly Validator<unknown>[];
  if (validators.length === 0) return PASSED;
  const pending = validators.map((check) => ({
    key: field.name,
    label: `${schema.table}.${field.name}`,
    run: () => check(value, record),
  }));
  return { errors: {}, pending };
}

/** True when a new record may leave this field out: the database or the library fills it in. */
export function mayBeOmitted(field: FieldInfo, schema: Schema): boolean {
  const { spec } = field;
  return spec.nullable || spec.hasDefault || spec.defaultNow || (spec.primaryKey && schema.autoIncrement);
}

/** True when `errors` holds no message. */
export function isValid(errors: ValidationErrors): boolean {
  for (const field in errors) if (Object.hasOwn(errors, field)) return false;
  return true;
}
