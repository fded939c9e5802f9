/**
 * What a live database still lacks of the schemas a program defines: missing tables and columns,
 * columns of another type or nullability, columns the schema does not know, missing unique indexes
 * and foreign keys. Read through introspection, so it works on every database.
 * @module
 */
import type { Dialect } from "../dialect/dialect.ts";
import type { TableInfo } from "../dialect/schema_info.ts";
import { schemaSqlOf } from "../dialect/schema_sql.ts";
import type { Frame } from "../run/frame.ts";
import type { Flow } from "../run/request.ts";
import type { Schema } from "../schema/schema.ts";
import { tableInfoFlow } from "./introspect.ts";

/** The kinds of difference `diff` reports. */
export type DifferenceKind =
  | "missing table"
  | "missing column"
  | "extra column"
  | "type"
  | "nullability"
  | "missing unique index"
  | "missing foreign key";

/** One way a live table differs from its schema. */
export interface SchemaDifference {
  /** The table. */
  readonly table: string;
  /** The column, where the difference is one column's. */
  readonly column?: string;
  /** What differs. */
  readonly kind: DifferenceKind;
  /** A sentence saying it: `posts.title is text, the schema says character varying(200)`. */
  readonly message: string;
}

/** The differences between `schema` and its live table (`info`, undefined when there is none). */
export function compare(dialect: Dialect, schema: Schema, info: TableInfo | undefined): SchemaDifference[] {
  const table = schema.table;
  if (!info) return [{ table, kind: "missing table", message: `there is no table ${table}` }];
  const sql = schemaSqlOf(dialect);
  const found: SchemaDifference[] = [];
  const add = (kind: DifferenceKind, column: string | undefined, message: string) =>
    found.push({ table, ...(column ? { column } : {}), kind, message });
  for (const field of schema.fields) {
    const live = info.columns.find((c) => c.name === field.column);
    const name = `${table}.${field.column}`;
    if (!live) {
      add("missing column", field.column, `there is no column ${name}`);
      continue;
    }
    const generated = schema.primaryKey === field && schema.autoIncrement;
    const expected = dialect.columnType(field.spec);
    if (!generated && sql.normalizeType(expected) !== sql.normalizeType(live.type)) {
      add("type", field.column, `${name} is ${live.type}, the schema says ${expected}`);
    }
    if (!field.spec.primaryKey && live.nullable !== field.spec.nullable) {
      add(
        "nullability",
        field.column,
        `${name} ${live.nullable ? "allows" : "refuses"} NULL, the schema says it ${
          field.spec.nullable ? "allows" : "refuses"
        } it`,
      );
    }
    if (field.spec.unique && !field.spec.primaryKey) {
      const unique = info.indexes.some((index) =>
        index.unique && index.columns.length === 1 && index.columns[0] === field.column
      );
      if (!unique) add("missing unique index", field.column, `${name} has no unique index`);
    }
    const ref = field.spec.references;
    if (
      ref &&
      !info.foreignKeys.some((fk) =>
        fk.columns.length === 1 && fk.columns[0] === field.column && fk.table === ref.table
      )
    ) {
      add("missing foreign key", field.column, `${name} has no foreign key to ${ref.table}`);
    }
  }
  for (const live of info.columns) {
    if (!schema.fields.some((f) => f.column === live.name)) {
      add("extra column", live.name, `${table}.${live.name} is not in the schema`);
    }
  }
  return found;
}

/** The differences between each of `schemas` and the live database. */
export function* diffFlow(
  dialect: Dialect,
  schemas: readonly Schema[],
  frame?: Frame,
): Flow<SchemaDifference[]> {
  const differences: SchemaDifference[] = [];
  for (const schema of schemas) {
    differences.push(...compare(dialect, schema, yield* tableInfoFlow(dialect, schema.table, frame)));
  }
  return differences;
}
