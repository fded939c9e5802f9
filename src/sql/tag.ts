/**
 * The `sql` tagged template: literal text stays text, every interpolated value becomes a parameter.
 * @module
 */
import { Identifier, Param, SqlFragment, type SqlPart } from "./fragment.ts";
import { assertPlainName } from "./identifier.ts";

/** The `sql` tag with its helpers. */
export interface SqlTag {
  /** Builds a fragment; interpolated values become parameters, arrays become `(?, ?, ...)` lists. */
  (strings: TemplateStringsArray, ...values: unknown[]): SqlFragment;
  /** A quoted identifier: `sql.id("users", "email")` compiles to `"users"."email"`. */
  id(...path: string[]): SqlFragment;
  /** Joins fragments with a separator (`", "` by default). */
  join(fragments: readonly SqlFragment[], separator?: string): SqlFragment;
}

function tag(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  const parts: SqlPart[] = [strings[0]];
  for (let i = 0; i < values.length; i++) {
    parts.push(interpolate(values[i]), strings[i + 1]);
  }
  return new SqlFragment(parts);
}

function interpolate(value: unknown): SqlPart {
  if (value instanceof SqlFragment || value instanceof Identifier || value instanceof Param) return value;
  if (Array.isArray(value)) return list(value);
  return new Param(value);
}

/** `(?, ?, ?)` for a list; `(NULL)` for an empty one, so `x IN ${[]}` is valid and matches nothing. */
export function list(values: readonly unknown[]): SqlFragment {
  if (values.length === 0) return new SqlFragment(["(NULL)"]);
  const parts: SqlPart[] = ["("];
  values.forEach((value, i) => parts.push(i === 0 ? "" : ", ", new Param(value)));
  parts.push(")");
  return new SqlFragment(parts);
}

/**
 * The `sql` tag: safe SQL with interpolated parameters.
 *
 * @example
 * ```ts
 * import { sql } from "@rho/activerecord";
 * User.query().where(sql`age > ${30} and ${sql.id("name")} like ${"J%"}`).all();
 * db.execute(sql`select * from users where id in ${[1, 2, 3]}`);
 * ```
 */
export const sql: SqlTag = Object.assign(tag, {
  id(...path: string[]): SqlFragment {
    path.forEach((name) => assertPlainName(name, "sql.id()"));
    return new SqlFragment([new Identifier(...path)]);
  },
  join(fragments: readonly SqlFragment[], separator = ", "): SqlFragment {
    const parts: SqlPart[] = [];
    fragments.forEach((fragment, i) => parts.push(i === 0 ? "" : separator, fragment));
    return new SqlFragment(parts);
  },
});
