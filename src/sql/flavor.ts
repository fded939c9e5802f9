/**
 * What SQL building needs to know of a database: how it quotes names, writes placeholders, encodes
 * values and lexes text. Dialects implement it; the sql layer sees only this.
 * @module
 */
import type { LexRules } from "./lexer.ts";

/** The portable column types; each round-trips identically on every backend. */
export type ColumnKind =
  | "integer"
  | "bigint"
  | "real"
  | "decimal"
  | "text"
  | "boolean"
  | "datetime"
  | "date"
  | "time"
  | "json"
  | "bytes"
  | "uuid";

/**
 * The part of a dialect that SQL building uses.
 *
 * @example
 * ```ts
 * const writer = new SqlWriter(new PostgresDialect()); // a Dialect is a SqlFlavor
 * ```
 */
export interface SqlFlavor {
  /** Quotes an identifier. */
  quote(name: string): string;
  /** The placeholder for the `position`-th parameter (1-based). */
  placeholder(position: number): string;
  /** Encodes a parameter for the driver, by its column type when known. */
  encodeParam(value: unknown, kind: ColumnKind | undefined, position: number): unknown;
  /** Where `?` placeholders and `;` separators can stand in its SQL text. */
  readonly lexRules: LexRules;
}
