/**
 * `createTable` and `dropTable` of a model, as flows.
 * @module
 */
import type { Dialect } from "../dialect/dialect.ts";
import { type CreateTableOptions, createTableSql, type DropTableOptions } from "../dialect/ddl.ts";
import { execute, type Flow } from "../run/request.ts";
import type { Schema } from "../schema/schema.ts";

/** Creates the table of `schema`. */
export function* createTableFlow(schema: Schema, dialect: Dialect, options: CreateTableOptions): Flow<void> {
  yield* execute({ text: createTableSql(schema, dialect, options), params: [], returnsRows: false });
}

/** Drops the table of `schema`. */
export function* dropTableFlow(schema: Schema, dialect: Dialect, options: DropTableOptions): Flow<void> {
  const exists = options.ifExists ? "IF EXISTS " : "";
  yield* execute({
    text: `DROP TABLE ${exists}${dialect.quote(schema.table)}`,
    params: [],
    returnsRows: false,
  });
}
