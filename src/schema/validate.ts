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

/** Messages for one value of `spec`, or an empty list. `undefined` means "not given". */
export function checkValue(
  spec: ColumnSpec,
  value: unknown,
  record: () => Readonly<Record<string, unknown>>,
): string[] {
  if (value === undefined || value === null) return spec.nullable ? [] : ["cannot be null"];
  const mismatch = typeMismatch(spec.kind, value);
  if (mismatch) return [mismatch];
  const messages: string[] = [];
  if (spec.maxLength !== undefined && typeof value === "string" && characterLength(value) > spec.maxLength) {
    messages.push(`is too long (maximum is ${spec.maxLength} characters)`);
  }
  if (spec.kind === "decimal" && spec.precision !== undefined) {
    const scale = decimalScale(spec)!;
    if (integerDigits(value as string, scale) > spec.precision - scale) {
      messages.push(`is out of range for decimal(${spec.precision}, ${scale})`);
    }
  }
  for (const check of spec.validators as readonly Validator<unknown>[]) {
    const verdict = check(value, record());
    if (verdict !== true) messages.push(typeof verdict === "string" && verdict ? verdict : "is invalid");
  }
  return messages;
}

/** True when a new record may leave this field out: the database or the library fills it in. */
export function mayBeOmitted(field: FieldInfo, schema: Schema): boolean {
  const { spec } = field;
  return spec.nullable || spec.hasDefault || spec.defaultNow || (spec.primaryKey && schema.autoIncrement);
}

/**
 * Validates a record's values (by field index). On a new record, missing values are allowed where
 * the database fills them in; `only` limits the check to some fields (updates check what changed).
 */
export function validateValues(
  schema: Schema,
  values: readonly unknown[],
  isNew: boolean,
  only?: readonly FieldInfo[],
): ValidationErrors {
  const errors: ValidationErrors = {};
  let view: Record<string, unknown> | undefined;
  const record = () => view ??= Object.fromEntries(schema.fields.map((f) => [f.name, values[f.index]]));
  for (const field of only ?? schema.fields) {
    const value = values[field.index];
    if (value === undefined) {
      // A full check skips what the database fills in; a check of changed fields (`only`) lets a
      // nullable field be cleared with undefined.
      const omittable = only ? field.spec.nullable : !isNew || mayBeOmitted(field, schema);
      if (!omittable) errors[field.name] = ["is required"];
      continue;
    }
    const messages = checkValue(field.spec, value, record);
    if (messages.length) errors[field.name] = messages;
  }
  return errors;
}

/** True when `errors` holds no message. */
export function isValid(errors: ValidationErrors): boolean {
  for (const field in errors) if (Object.hasOwn(errors, field)) return false;
  return true;
}
