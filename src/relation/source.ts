/**
 * A model as the query and relation layers see it: a schema, an engine, a way to turn rows into
 * records, and the models of related schemas in the same mode. Model classes provide one; the lower
 * layers never import the model.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import type { TableSql } from "../dialect/table_sql.ts";
import type { Mode } from "../mode.ts";
import type { Engine } from "../run/engine.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";

/** A model as queries and relations see it. */
export interface RecordSource {
  /** The model's name, for messages. */
  readonly name: string;
  /** Its schema. */
  readonly schema: Schema;
  /** The engine it is bound to; `ConfigurationError` before `configure`. */
  engine(): Engine<Mode>;
  /** Records of the model made from `result`'s rows. */
  hydrate<T>(table: TableSql, result: QueryResult): T[];
  /** The model of `schema` in the same mode: the class that related rows become. */
  related(schema: Schema): RecordSource;
  /** A record's value of `field`. */
  value(record: unknown, field: FieldInfo): unknown;
  /** Keeps a loaded relation on a record (a record, null, or an array). */
  setLoaded(record: unknown, name: string, value: unknown): void;
}
