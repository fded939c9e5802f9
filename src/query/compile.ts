/**
 * Compiles query states to SELECT statements for a dialect.
 * @module
 */
import type { DriverQuery } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { tableSql } from "../dialect/table_sql.ts";
import { scopeCondition } from "../relation/source.ts";
import type { SqlFragment } from "../sql/fragment.ts";
import { SqlWriter } from "../sql/writer.ts";
import { combine } from "./conditions.ts";
import type { ColumnRef, QueryState } from "./state.ts";

/** What to select instead of the state's own list. */
export type SelectOverride = string | ((writer: SqlWriter) => void);

/** Which clauses to leave out (counting ignores order and limit; exists ignores the select list). */
export interface CompileOptions {
  /** Replaces the select list. */
  readonly select?: SelectOverride;
  /** Leave out ORDER BY. */
  readonly withoutOrder?: boolean;
  /** Leave out LIMIT and OFFSET. */
  readonly withoutLimit?: boolean;
  /** Replace LIMIT (and drop OFFSET handling changes nothing else). */
  readonly limit?: number;
}

/** Writes a column reference with its alias when it is not a bare column of that name. */
export function writeColumn(writer: SqlWriter, ref: ColumnRef): void {
  writer.fragment(ref.sql);
  const parts = ref.sql.parts;
  const bare = parts.length === 1 && typeof parts[0] === "object" && "path" in parts[0] &&
    parts[0].path.at(-1) === ref.name;
  if (!bare && ref.name !== "") writer.raw(" AS ").id(ref.name); // "": an expression that names itself
}

/** The WHERE of `state` with the conditions of its default scopes. */
export function scopedWhere(state: QueryState): SqlFragment | undefined {
  return state.scopes.length ? combine(scopeCondition(state.scopes), state.where, "AND") : state.where;
}

/** Writes a SELECT for `state`. */
export function writeSelect(
  writer: SqlWriter<Dialect>,
  state: QueryState,
  options: CompileOptions = {},
): void {
  const table = tableSql(state.schema, writer.dialect);
  writer.raw(state.distinct ? "SELECT DISTINCT " : "SELECT ");
  const select = options.select;
  if (typeof select === "string") writer.raw(select);
  else if (select) select(writer);
  else {
    if (state.selects) writer.list(state.selects, (ref) => writeColumn(writer, ref));
    else writer.raw(state.joins.length || state.extras.length ? table.qualifiedColumnList : table.columnList);
    for (const extra of state.extras) writer.raw(", ").fragment(extra.sql).raw(" AS ").id(extra.name);
  }
  writer.raw(" FROM ").raw(table.table);
  for (const join of state.joins) writer.raw(" ").fragment(join);
  const where = scopedWhere(state);
  if (where) writer.raw(" WHERE ").fragment(where);
  if (state.groups.length) {
    writer.raw(" GROUP BY ").list(state.groups, (ref) => writer.fragment(ref.sql));
  }
  if (state.having) writer.raw(" HAVING ").fragment(state.having);
  if (state.orders.length && !options.withoutOrder) {
    writer.raw(" ORDER BY ").list(state.orders, (order) => writer.fragment(order));
  }
  if (!options.withoutLimit) {
    writer.raw(writer.dialect.limitClause(options.limit ?? state.limit, state.offset));
  }
  if (state.lock && writer.dialect.supportsRowLocks) writer.raw(" FOR UPDATE");
}

/** The driver query of a SELECT for `state`. */
export function compileSelect(dialect: Dialect, state: QueryState, options?: CompileOptions): DriverQuery {
  const writer = new SqlWriter(dialect);
  writeSelect(writer, state, options);
  return { text: writer.text, params: writer.params, returnsRows: true, bigints: state.schema.hasBigint };
}
