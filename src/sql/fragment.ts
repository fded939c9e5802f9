/**
 * SQL as data: text pieces, parameters and identifiers, compiled per dialect. Values never enter
 * SQL text; identifiers are quoted by the dialect.
 * @module
 */
import type { ColumnKind } from "./flavor.ts";

/**
 * A value bound as a parameter; `kind` says how to encode it when it is known.
 *
 * @example
 * ```ts
 * new SqlFragment(["age > ", new Param(30)]); // like sql`age > ${30}`
 * ```
 */
export class Param {
  /** Wraps `value`; `kind` is the column type it is compared with or written to. */
  constructor(readonly value: unknown, readonly kind?: ColumnKind) {}
}

/**
 * A possibly qualified identifier (`users`, `users.id`), quoted by the dialect when compiled.
 *
 * @example
 * ```ts
 * new SqlFragment([new Identifier("users", "id"), " = ", new Param(1)]); // "users"."id" = ?
 * ```
 */
export class Identifier {
  /** The dotted parts of the name. */
  readonly path: readonly string[];
  /** Wraps the parts of a name, e.g. `["users", "id"]`. */
  constructor(...path: string[]) {
    this.path = path;
  }
}

/**
 * SQL text with `?` placeholders and its parameters, split by the dialect's rules when compiled.
 *
 * @example
 * ```ts
 * new SqlFragment([new RawSql("age > ?", [30])]); // like where("age > ?", [30])
 * ```
 */
export class RawSql {
  /** Wraps `text` and the values of its placeholders, in order. */
  constructor(readonly text: string, readonly params: readonly unknown[]) {}
}

/** One piece of a fragment: literal SQL text, a parameter, an identifier, raw SQL or a nested fragment. */
export type SqlPart = string | Param | Identifier | RawSql | SqlFragment;

/**
 * A piece of SQL made by the `sql` tag, by raw SQL with `?` placeholders, or by the query builder.
 *
 * @example
 * ```ts
 * const f = sql`age > ${30}`;
 * f instanceof SqlFragment; // true
 * ```
 */
export class SqlFragment {
  /** The parts in order. */
  readonly parts: readonly SqlPart[];
  /** Wraps `parts`; usually made with the `sql` tag rather than directly. */
  constructor(parts: readonly SqlPart[]) {
    this.parts = parts;
  }
}
