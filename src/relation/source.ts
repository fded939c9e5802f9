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
import { SqlFragment } from "../sql/fragment.ts";

/** The name of soft deletes' scope (`withDeleted()` lifts it). */
export const SOFT_DELETE = "softDelete";

/**
 * A default scope: a condition every read of a model carries unless lifted (`unscoped()`, or
 * `withDeleted()` for the soft-delete scope). Its columns are qualified by the model's table name.
 */
export interface Scope {
  /** `"softDelete"` for soft deletes' scope, `"default"` for the scopes a model declares. */
  readonly name: string;
  /** The condition, built when a statement is (so a scope may depend on the moment). */
  condition(): SqlFragment | undefined;
}

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
  /** The model's default scopes. */
  scopes(): readonly Scope[];
  /** The default scopes of related rows of `schema` (those of its model in this mode, if it has one). */
  relatedScopes(schema: Schema): readonly Scope[];
}

/** The conditions of `scopes`, joined with AND; undefined when there are none. */
export function scopeCondition(scopes: readonly Scope[]): SqlFragment | undefined {
  let result: SqlFragment | undefined;
  for (const scope of scopes) {
    const condition = scope.condition();
    if (!condition) continue;
    result = result ? new SqlFragment(["(", result, ") AND (", condition, ")"]) : condition;
  }
  return result;
}
