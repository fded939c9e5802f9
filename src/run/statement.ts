/**
 * Raw statements given to `execute` and friends: SQL text with `?` placeholders, or a `sql` fragment.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { ArgumentError } from "../errors.ts";
import { SqlFragment } from "../sql/fragment.ts";
import { rawSql } from "../sql/placeholders.ts";
import { compileFragment } from "../sql/writer.ts";

/** SQL text with `?` placeholders, or a fragment built with the `sql` tag. */
export type Statement = string | SqlFragment;

/** A row of a raw query, by column name. */
export type Row = Record<string, unknown>;

/** Compiles a raw statement; raw queries read exact 64-bit integers and narrow the ones that fit. */
export function compileStatement(
  dialect: Dialect,
  statement: Statement,
  params: readonly unknown[] | undefined,
  returnsRows: boolean,
): DriverQuery {
  let fragment: SqlFragment;
  if (statement instanceof SqlFragment) {
    if (params?.length) {
      throw new ArgumentError("a sql`` fragment carries its own parameters; pass no params array");
    }
    fragment = statement;
  } else if (typeof statement === "string") {
    fragment = rawSql(statement, params ?? []);
  } else {
    throw new ArgumentError(`expected SQL text or a sql\`\` fragment, got ${typeof statement}`);
  }
  const { text, params: encoded } = compileFragment(fragment, dialect);
  return { text, params: encoded, returnsRows, bigints: true };
}

/** Rows as objects by column name, values normalized by the dialect. */
export function rowObjects<T>(dialect: Dialect, result: QueryResult): T[] {
  const { columns, rows } = result;
  return rows.map((row) => {
    const object: Row = {};
    for (let i = 0; i < columns.length; i++) object[columns[i]] = dialect.normalize(row[i]);
    return object as T;
  });
}
