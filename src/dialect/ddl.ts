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
  if (schema.primaryKey === field && schema.autoIncrement) return dialect.autoIncrementColumn(field);
  let sql = `${dialect.quote(field.column)} ${dialect.columnType(spec)}`;
  if (schema.primaryKey === field) sql += " PRIMARY KEY";
  if (!spec.nullable) sql += " NOT NULL";
  if (spec.unique && !spec.primaryKey) sql += " UNIQUE";
  return sql + dialect.defaultClause(spec);
}

/** Table constraints: a composite primary key, and every foreign key (as a table constraint, which every database honours). */
function constraints(schema: Schema, dialect: Dialect): string[] {
  const list: string[] = [];
  if (schema.keyFields.length > 1) {
    list.push(`PRIMARY KEY (${schema.keyFields.map((f) => dialect.quote(f.column)).join(", ")})`);
  }
  for (const field of schema.fields) {
    const ref = field.spec.references;
    if (!ref) continue;
    let sql = `FOREIGN KEY (${dialect.quote(field.column)}) REFERENCES ${dialect.quote(ref.table)} (${
      dialect.quote(ref.column)
    })`;
    if (ref.onDelete) sql += ` ON DELETE ${ref.onDelete.toUpperCase()}`;
    if (ref.onUpdate) sql += ` ON UPDATE ${ref.onUpdate.toUpperCase()}`;
    list.push(sql);
  }
  return list;
}

/** The `CREATE TABLE` statement of `schema`. */
export function createTableSql(schema: Schema, dialect: Dialect, options: CreateTableOptions = {}): string {
  const lines = [
    ...schema.fields.map((field) => columnDefinition(schema, field, dialect)),
    ...constraints(schema, dialect),
  ];
  const exists = options.ifNotExists ? "IF NOT EXISTS " : "";
  return `CREATE TABLE ${exists}${dialect.quote(schema.table)} (\n${
    lines.map((line) => `  ${line}`).join(",\n")
  }\n)${dialect.tableSuffix()}`;
}
