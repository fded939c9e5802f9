/**
 * Introspection as flows: what a live database holds (tables, columns, indexes, foreign keys), read
 * with the dialect's statements, the same shape on every database.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { InfoRow, TableInfo } from "../dialect/schema_info.ts";
import { schemaSqlOf } from "../dialect/schema_sql.ts";
import type { Frame } from "../run/frame.ts";
import { execute, type Flow } from "../run/request.ts";

/** A result's rows as objects by column name, values normalized. */
function rowsOf(dialect: Dialect, result: QueryResult): InfoRow[] {
  return result.rows.map((row) =>
    Object.fromEntries(result.columns.map((name, i) => [name, dialect.normalize(row[i])]))
  );
}

/** The names of the tables of the current schema or database, sorted. */
export function* tableNamesFlow(dialect: Dialect, frame?: Frame): Flow<string[]> {
  const result = yield* execute(schemaSqlOf(dialect).introspection.tables(), frame);
  return result.rows.map((row) => String(row[0]));
}

/** One table as introspection sees it; undefined when there is no such table. */
export function* tableInfoFlow(dialect: Dialect, name: string, frame?: Frame): Flow<TableInfo | undefined> {
  const { introspection } = schemaSqlOf(dialect);
  const columns = introspection.columns.read(
    rowsOf(dialect, yield* execute(introspection.columns.query(name), frame)),
  );
  if (columns.length === 0) return undefined;
  const indexes = introspection.indexes.read(
    rowsOf(dialect, yield* execute(introspection.indexes.query(name), frame)),
  );
  const foreignKeys = introspection.foreignKeys.read(
    rowsOf(dialect, yield* execute(introspection.foreignKeys.query(name), frame)),
  );
  return { name, columns, indexes, foreignKeys };
}

/** Every table of the current schema or database (or those named), described. */
export function* introspectFlow(
  dialect: Dialect,
  only?: readonly string[],
  frame?: Frame,
): Flow<TableInfo[]> {
  const names = only ?? (yield* tableNamesFlow(dialect, frame));
  const tables: TableInfo[] = [];
  for (const name of names) {
    const info = yield* tableInfoFlow(dialect, name, frame);
    if (info) tables.push(info);
  }
  return tables;
}
