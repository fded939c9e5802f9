/**
 * Terminal flows of ActiveQuery: the statements each terminal runs and how results are read.
 * @module
 */
import type { Dialect } from "../dialect/dialect.ts";
import { ArgumentError } from "../errors.ts";
import { tableSql } from "../dialect/table_sql.ts";
import { storedForm } from "../schema/normalize.ts";
import { execute, type Flow } from "../run/request.ts";
import { Identifier, SqlFragment } from "../sql/fragment.ts";
import type { SqlWriter } from "../sql/writer.ts";
import { compileSelect, writeColumn } from "./compile.ts";
import { preloadFlow } from "../relation/preload.ts";
import type { AggregateFunction, ColumnRef, QueryState } from "./state.ts";

/** One page of records with the counts around it. */
export interface Page<T> {
  /** The records of this page. */
  readonly items: T[];
  /** The page number (1-based). */
  readonly page: number;
  /** Records per page. */
  readonly perPage: number;
  /** Records over all pages. */
  readonly total: number;
  /** Number of pages (0 when there are no records). */
  readonly pageCount: number;
}

/** Reads a value of `ref` as its field would (a Date for a datetime), or normalized when unknown. */
function reader(dialect: Dialect, state: QueryState, ref: ColumnRef | undefined): (v: unknown) => unknown {
  const decode = ref?.field && tableSql(state.schema, dialect).decoders[ref.field.index];
  return (value) => value === null ? null : decode ? decode(value) : dialect.normalize(value);
}

/**
 * Reads an aggregate's result: counts and averages are numbers, MIN/MAX keep the column's type, and
 * sums of decimal columns are decimal strings at the column's scale (like every decimal value).
 */
function aggregateReader(
  dialect: Dialect,
  state: QueryState,
  fn: AggregateFunction,
  ref: ColumnRef | undefined,
): (v: unknown) => unknown {
  if (fn === "MIN" || fn === "MAX") return reader(dialect, state, ref);
  const spec = ref?.field?.spec;
  if (fn === "SUM" && spec?.kind === "decimal") {
    return (value) =>
      value === null ? null : storedForm(spec, typeof value === "bigint" ? String(value) : value);
  }
  return (value) => value === null ? (fn === "COUNT" ? 0 : null) : Number(value);
}

/** All matching records, with the relations the query loads. */
export function* allFlow<T>(dialect: Dialect, state: QueryState): Flow<T[]> {
  const result = yield* execute(compileSelect(dialect, state));
  const records = state.source.hydrate<T>(tableSql(state.schema, dialect), result);
  yield* completeFlow(dialect, state, records);
  return records;
}

/** Finishes records read by `state`: loads its relations (`with`) and exposes its counts (`withCount`). */
export function* completeFlow(dialect: Dialect, state: QueryState, records: readonly unknown[]): Flow<void> {
  if (state.include.size) yield* preloadFlow(dialect, state.source, records, state.include);
  if (state.extras.length) exposeExtras(state, records);
}

/** The `withCount` values as read-only properties (`postsCount`), numbers on every backend. */
function exposeExtras(state: QueryState, records: readonly unknown[]): void {
  for (const record of records) {
    for (const { name } of state.extras) {
      const read = (record as { attribute(name: string): unknown }).attribute(name);
      const value = read === null || read === undefined ? 0 : Number(read);
      Object.defineProperty(record, name, { value, enumerable: false, configurable: true });
    }
  }
}

/** The first record of the query's order (by primary key when it has none). */
export function* firstFlow<T>(dialect: Dialect, state: QueryState, byKey: boolean): Flow<T | undefined> {
  const key = state.schema.primaryKey;
  const orders = byKey && state.orders.length === 0 && key
    ? [new SqlFragment([new Identifier(state.schema.table, key.column), " ASC"])]
    : state.orders;
  const rows = yield* allFlow<T>(dialect, { ...state, orders, limit: 1 });
  return rows[0];
}

/** True when some row matches. */
export function* existsFlow(dialect: Dialect, state: QueryState): Flow<boolean> {
  const result = yield* execute(compileSelect(dialect, state, { select: "1", withoutOrder: true, limit: 1 }));
  return result.rows.length > 0;
}

/** The values of one column. */
export function* pluckFlow(dialect: Dialect, state: QueryState, ref: ColumnRef): Flow<unknown[]> {
  const select = (writer: SqlWriter) => writeColumn(writer, ref);
  const result = yield* execute(compileSelect(dialect, state, { select }));
  const read = reader(dialect, state, ref);
  return result.rows.map((row) => read(row[0]));
}

function writeCall(writer: SqlWriter, fn: AggregateFunction, ref: ColumnRef | undefined): void {
  writer.raw(`${fn}(`);
  if (ref) writer.fragment(ref.sql);
  else writer.raw("*");
  writer.raw(")");
}

/** One aggregate over every matching row (over the limited rows, when the query has a limit). */
export function* scalarFlow(
  dialect: Dialect,
  state: QueryState,
  fn: AggregateFunction,
  ref: ColumnRef | undefined,
): Flow<unknown> {
  if (state.groups.length) {
    throw new ArgumentError(
      `${fn.toLowerCase()}() over a grouped query is ambiguous: use .${fn.toLowerCase()}(column, alias)...aggregate()`,
    );
  }
  const limited = state.distinct || state.limit !== undefined || state.offset !== undefined;
  let query;
  if (!limited) {
    query = compileSelect(dialect, state, { select: (w) => writeCall(w, fn, ref), withoutOrder: true });
  } else {
    // Aggregate over the rows the query would return: wrap it.
    const inner = compileSelect(dialect, {
      ...state,
      selects: ref ? [{ sql: ref.sql, name: "value" }] : state.selects,
    });
    const column = ref ? `${dialect.quote("sub")}.${dialect.quote("value")}` : "*";
    query = { ...inner, text: `SELECT ${fn}(${column}) FROM (${inner.text}) AS ${dialect.quote("sub")}` };
  }
  const result = yield* execute(query);
  return aggregateReader(dialect, state, fn, ref)(result.rows[0]?.[0] ?? null);
}

/** Grouped aggregates as plain objects keyed by group columns and aliases. */
export function* aggregateFlow<R>(dialect: Dialect, state: QueryState): Flow<R[]> {
  if (state.aggregates.length === 0) {
    throw new ArgumentError("aggregate() needs at least one of .count/.sum/.avg/.min/.max(column, alias)");
  }
  const select = (writer: SqlWriter) => {
    writer.list(state.groups, (ref) => writeColumn(writer, ref));
    if (state.groups.length) writer.raw(", ");
    writer.list(state.aggregates, (item) => {
      writeCall(writer, item.fn, item.column);
      writer.raw(" AS ").id(item.alias);
    });
  };
  const result = yield* execute(compileSelect(dialect, { ...state, distinct: false }, { select }));
  const readers = [
    ...state.groups.map((ref) => ({ name: ref.name, read: reader(dialect, state, ref) })),
    ...state.aggregates.map((a) => ({
      name: a.alias,
      read: aggregateReader(dialect, state, a.fn, a.column),
    })),
  ];
  return result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    readers.forEach(({ name, read }, i) => object[name] = read(row[i]));
    return object as R;
  });
}

/** One page of records and the total count. */
export function* paginateFlow<T>(
  dialect: Dialect,
  state: QueryState,
  page: number,
  perPage: number,
): Flow<Page<T>> {
  const unpaged = { ...state, orders: [], limit: undefined, offset: undefined };
  const total = (yield* scalarFlow(dialect, unpaged, "COUNT", undefined)) as number;
  const items = yield* allFlow<T>(dialect, { ...state, limit: perPage, offset: (page - 1) * perPage });
  return { items, page, perPage, total, pageCount: Math.ceil(total / perPage) };
}
