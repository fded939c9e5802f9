/**
 * DDL from schemas: `CREATE TABLE` with types, keys, defaults, unique and foreign-key constraints.
 * @module
 */
import type { Dialect } from "./dialect.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";

/** Options of `createTable`. */
export interface CreateTableOptions {
  /** Do nothing when the table exists. */
  readonly ifNotExists?: boolean;
}

/** Options of `dropTable`. */
export interface DropTableOptions {
  /** Do nothing when the table does not exist. */
  readonly ifExists?: boolean;
}

function columnDefinition(schema: Schema, field: FieldInfo, dialect: Dialect): string {
  const { spec } = field;
  if (spec.primaryKey && schema.autoIncrement) return dialect.autoIncrementColumn(field);
  let sql = `${dialect.quote(field.column)} ${dialect.columnType(spec)}`;
  if (spec.primaryKey) sql += " PRIMARY KEY";
  if (!spec.nullable) sql += " NOT NULL";
  if (spec.unique && !spec.primaryKey) sql += " UNIQUE";
  sql += dialect.defaultClause(spec);
  const ref = spec.references;
  if (ref) {
    sql += ` REFERENCES ${dialect.quote(ref.table)} (${dialect.quote(ref.column)})`;
    if (ref.onDelete) sql += ` ON DELETE ${ref.onDelete.toUpperCase()}`;
    if (ref.onUpdate) sql += ` ON UPDATE ${ref.onUpdate.toUpperCase()}`;
  }
  return sql;
}

/** The `CREATE TABLE` statement of `schema`. */
export function createTableSql(schema: Schema, dialect: Dialect, options: CreateTableOptions = {}): string {
  const columns = schema.fields.map((field) => `  ${columnDefinition(schema, field, dialect)}`);
  const exists = options.ifNotExists ? "IF NOT EXISTS " : "";
  return `CREATE TABLE ${exists}${dialect.quote(schema.table)} (\n${
    columns.join(",\n")
  }\n)${dialect.tableSuffix()}`;
}
