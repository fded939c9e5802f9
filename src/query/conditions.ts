/**
 * Conditions: a `where` object, SQL text with `?` placeholders, or a `sql` fragment. Object keys must
 * be fields and values must fit their columns, checked before any SQL is built.
 * @module
 */
import type { Statement } from "../run/statement.ts";
import { ArgumentError } from "../errors.ts";
import type { ColumnMap, FieldInfo, Schema, ValueOf } from "../schema/schema.ts";
import { typeMismatch } from "../schema/validate.ts";
import { Identifier, Param, SqlFragment, type SqlPart } from "../sql/fragment.ts";
import { rawSql } from "../sql/placeholders.ts";

/**
 * A `where` object: property (or column) names to a value, a list of values (`IN`), or `null`
 * (`IS NULL`). Several keys are combined with AND.
 */
export type WhereInput<C extends ColumnMap> = {
  [K in keyof C]?: ValueOf<C[K]> | readonly NonNullable<ValueOf<C[K]>>[] | null;
};

/** The qualified identifier of a field of `schema`. */
export function fieldIdentifier(schema: Schema, field: FieldInfo): Identifier {
  return new Identifier(schema.table, field.column);
}

/** Checks that `value` fits `field`, naming the field (never the value) when it does not. */
export function checkConditionValue(schema: Schema, field: FieldInfo, value: unknown, where: string): void {
  const mismatch = typeMismatch(field.spec.kind, value);
  if (mismatch) throw new ArgumentError(`${where}: ${schema.table}.${field.name} ${mismatch}`);
}

/** A column in a condition: its SQL, and its field when it is one of the model's (to check values). */
export interface ConditionColumn {
  /** The column's SQL. */
  readonly sql: SqlPart;
  /** The model's field, when the column is one. */
  readonly field?: FieldInfo;
}

/** `column IN (?, ?, ...)` (or `NOT IN`); an empty list matches nothing (or everything, negated). */
export function inList(
  schema: Schema,
  column: ConditionColumn,
  values: readonly unknown[],
  where: string,
  negate = false,
): SqlFragment {
  if (!Array.isArray(values)) throw new ArgumentError(`${where} expects an array of values`);
  if (values.length === 0) return new SqlFragment([negate ? "1 = 1" : "1 = 0"]);
  const { field } = column;
  const parts: SqlPart[] = [column.sql, negate ? " NOT IN (" : " IN ("];
  values.forEach((value, i) => {
    if (value === null || value === undefined) throw new ArgumentError(`${where}: a list cannot hold null`);
    if (field) checkConditionValue(schema, field, value, where);
    parts.push(i === 0 ? "" : ", ", new Param(value, field?.spec.kind));
  });
  parts.push(")");
  return new SqlFragment(parts);
}

/** A field of `schema` as a condition column. */
export function fieldColumn(schema: Schema, field: FieldInfo): ConditionColumn {
  return { sql: fieldIdentifier(schema, field), field };
}

/**
 * True for a plain object (`{ ... }` or `Object.create(null)`): the only kind of value that is a
 * `where` object. A `Map`, a `Date` or a class instance is not, so it cannot mean "every row".
 */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The fragment of a `where` object, or undefined for an empty object. Only own keys count. */
export function objectCondition(
  schema: Schema,
  conditions: Readonly<Record<string, unknown>>,
  where: string,
): SqlFragment | undefined {
  if (!isPlainObject(conditions)) {
    throw new ArgumentError(`${where} expects a plain object of conditions, got ${kindOf(conditions)}`);
  }
  const parts: SqlPart[] = [];
  for (const name of Object.keys(conditions)) {
    const field = schema.requireField(name, where);
    const value = conditions[name];
    if (parts.length) parts.push(" AND ");
    if (value === null) {
      parts.push(fieldIdentifier(schema, field), " IS NULL");
    } else if (value === undefined) {
      throw new ArgumentError(`${where}: ${schema.table}.${field.name} is undefined; use null for IS NULL`);
    } else if (Array.isArray(value)) {
      parts.push(inList(schema, fieldColumn(schema, field), value, where));
    } else {
      checkConditionValue(schema, field, value, where);
      parts.push(fieldIdentifier(schema, field), " = ", new Param(value, field.spec.kind));
    }
  }
  return parts.length ? new SqlFragment(parts) : undefined;
}

/** Any accepted condition as a fragment (undefined when it adds nothing). */
export function condition(
  schema: Schema,
  input: Readonly<Record<string, unknown>> | Statement,
  params: readonly unknown[] | undefined,
  where: string,
): SqlFragment | undefined {
  if (input instanceof SqlFragment) {
    if (params?.length) throw new ArgumentError(`${where}: a sql\`\` fragment carries its own parameters`);
    return input;
  }
  if (typeof input === "string") return rawSql(input, params ?? []);
  if (isPlainObject(input)) {
    if (params?.length) throw new ArgumentError(`${where}: parameters go with SQL text, not with an object`);
    return objectCondition(schema, input, where);
  }
  throw new ArgumentError(
    `${where} expects a plain object, SQL text with ? placeholders, or a sql\`\` fragment, got ${
      kindOf(input)
    }`,
  );
}

/** A value-free name for what was given: `a Map`, `a Date`, `an array`, `a number`. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return `a ${typeof value}`;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name ? `a ${name}` : "an object";
}

/** `(a) AND (b)` / `(a) OR (b)`, or whichever side exists. */
export function combine(
  left: SqlFragment | undefined,
  right: SqlFragment | undefined,
  operator: "AND" | "OR",
): SqlFragment | undefined {
  if (!left) return right;
  if (!right) return left;
  return new SqlFragment(["(", left, `) ${operator} (`, right, ")"]);
}
