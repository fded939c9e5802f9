/**
 * Values in the form the database stores them, so that a record reads the same after `save()` as
 * after a reload: decimals rounded to their column's scale, times of day in full.
 * @module
 */
import type { ColumnSpec } from "./column.ts";
import { formatDecimal } from "./decimal.ts";

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$/;

/**
 * A time of day as `"HH:MM:SS"` plus its fraction without trailing zeros, or undefined when `value`
 * is not one.
 *
 * @example
 * ```ts
 * normalizeTime("08:30"); // "08:30:00"
 * normalizeTime("08:30:00.500000"); // "08:30:00.5"
 * ```
 */
export function normalizeTime(value: unknown): string | undefined {
  const match = typeof value === "string" ? TIME.exec(value) : null;
  if (!match) return undefined;
  const fraction = (match[4] ?? "").replace(/0+$/, "");
  return `${match[1]}:${match[2]}:${match[3] ?? "00"}${fraction ? "." + fraction : ""}`;
}

/** The digits after the point of a decimal column (0 for `decimal(p)`), or undefined when free. */
export function decimalScale(spec: ColumnSpec): number | undefined {
  return spec.precision === undefined && spec.scale === undefined ? undefined : spec.scale ?? 0;
}

/**
 * `value` as a column of `spec` stores it. Values of the wrong type are returned as they are
 * (validation reports them).
 *
 * @example
 * ```ts
 * storedForm(column.decimal(10, 2).spec, "1.5"); // "1.50"
 * ```
 */
export function storedForm(spec: ColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (spec.kind === "decimal") {
    if (typeof value !== "string" && typeof value !== "number") return value;
    const scale = decimalScale(spec);
    return scale === undefined ? String(value) : formatDecimal(value, scale) ?? value;
  }
  if (spec.kind === "time") return normalizeTime(value) ?? value;
  return value;
}
