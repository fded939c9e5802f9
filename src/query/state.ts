/**
 * The state of an ActiveQuery: immutable; each builder call makes a new state.
 * @module
 */
import { ArgumentError } from "../errors.ts";
import { type LoadTree, NO_LOADS } from "../relation/tree.ts";
import type { Scope } from "../relation/source.ts";
import type { QuerySource } from "./source.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";
import { Identifier, SqlFragment } from "../sql/fragment.ts";
import { parseQualified } from "../sql/identifier.ts";

/** A column or expression in a select list, grouping or aggregate, with what is known of its type. */
export interface ColumnRef {
  /** The SQL of the column or expression. */
  readonly sql: SqlFragment;
  /** The field, when the reference is a column of the model's own table. */
  readonly field?: FieldInfo;
  /** The name the value comes back under. */
  readonly name: string;
}

/** The aggregate functions. */
export type AggregateFunction = "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";

/** One aggregate of a grouped query: `COUNT(id) AS employee_count`. */
export interface AggregateItem {
  /** The function. */
  readonly fn: AggregateFunction;
  /** Its argument; undefined means `*`. */
  readonly column: ColumnRef | undefined;
  /** The key of the result. */
  readonly alias: string;
}

/** Everything a query has been told. */
export interface QueryState {
  /** The model queried. */
  readonly source: QuerySource;
  /** Its schema. */
  readonly schema: Schema;
  /** The select list, when not the model's columns. */
  readonly selects: readonly ColumnRef[] | undefined;
  /** SELECT DISTINCT. */
  readonly distinct: boolean;
  /** JOIN clauses, in order. */
  readonly joins: readonly SqlFragment[];
  /** Names (or aliases) of the joined tables. */
  readonly joined: readonly string[];
  /** The WHERE condition. */
  readonly where: SqlFragment | undefined;
  /** GROUP BY columns. */
  readonly groups: readonly ColumnRef[];
  /** The HAVING condition. */
  readonly having: SqlFragment | undefined;
  /** ORDER BY terms. */
  readonly orders: readonly SqlFragment[];
  /** LIMIT. */
  readonly limit: number | undefined;
  /** OFFSET. */
  readonly offset: number | undefined;
  /** SELECT ... FOR UPDATE. */
  readonly lock: boolean;
  /** Aggregates for `aggregate()`. */
  readonly aggregates: readonly AggregateItem[];
  /** Relations to load with the records (`with`). */
  readonly include: LoadTree;
  /** Values selected after the model's columns, such as the counts of `withCount`. */
  readonly extras: readonly ColumnRef[];
  /** The default scopes in force (lifted by `unscoped()`, `withDeleted()`). */
  readonly scopes: readonly Scope[];
}

/** The state of a new query on `source`. */
export function initialState(source: QuerySource): QueryState {
  return {
    source,
    schema: source.schema,
    selects: undefined,
    distinct: false,
    joins: [],
    joined: [],
    where: undefined,
    groups: [],
    having: undefined,
    orders: [],
    limit: undefined,
    offset: undefined,
    lock: false,
    aggregates: [],
    include: NO_LOADS,
    extras: [],
    scopes: source.scopes(),
  };
}

/**
 * Resolves a column name given as a string: a property or column of the model, `table.column`, an
 * alias chosen earlier, or (when the query has joins) a column of a joined table. Anything else is
 * an `ArgumentError`.
 */
export function resolveColumn(state: QueryState, name: string, where: string): ColumnRef {
  const { schema } = state;
  const path = parseQualified(name, where);
  if (path.length === 1) {
    const field = schema.field(path[0]);
    if (field) {
      return { sql: new SqlFragment([new Identifier(schema.table, field.column)]), field, name: path[0] };
    }
    if (isAlias(state, path[0]) || state.joins.length) {
      return { sql: new SqlFragment([new Identifier(path[0])]), name: path[0] };
    }
    throw new ArgumentError(`${where}: ${schema.table} has no column ${JSON.stringify(path[0])}`);
  }
  const [table, column] = path;
  if (table === schema.table) {
    if (column === "*") return { sql: new SqlFragment([new Identifier(table, "*")]), name: "*" };
    const field = schema.requireField(column, where);
    return { sql: new SqlFragment([new Identifier(table, field.column)]), field, name: column };
  }
  if (!state.joined.includes(table)) {
    throw new ArgumentError(
      `${where}: ${JSON.stringify(table)} is neither ${schema.table} nor a joined table`,
    );
  }
  return { sql: new SqlFragment([new Identifier(table, column)]), name: column };
}

function isAlias(state: QueryState, name: string): boolean {
  return state.aggregates.some((a) => a.alias === name) || (state.selects ?? []).some((s) => s.name === name);
}

/** Checks a LIMIT or OFFSET: a non-negative integer. */
export function checkCount(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new ArgumentError(`${what} must be a non-negative integer, got ${String(value)}`);
  }
  return value as number;
}
