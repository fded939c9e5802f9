/**
 * What a query reads from, as the query layer sees it: a schema, an engine, and a way to turn rows
 * into records. Model classes provide one (`sourceOf`); the query layer never imports the model.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import type { TableSql } from "../dialect/table_sql.ts";
import type { Mode } from "../mode.ts";
import type { Engine } from "../run/engine.ts";
import type { Schema } from "../schema/schema.ts";

/** A model as queries see it. */
export interface QuerySource {
  /** The model's name, for messages. */
  readonly name: string;
  /** Its schema. */
  readonly schema: Schema;
  /** The engine it is bound to; `ConfigurationError` before `configure`. */
  engine(): Engine<Mode>;
  /** Records of the model made from `result`'s rows. */
  hydrate<T>(table: TableSql, result: QueryResult): T[];
}
