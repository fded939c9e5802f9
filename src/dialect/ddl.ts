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

/**
 * A column's definition when it is not a generated key: `"name" TYPE [NOT NULL] [UNIQUE] [DEFAULT ...]`
 * (without UNIQUE when `unique` is false: a change of type keeps the column's indexes as they are).
 */
export function fieldDefinition(
  dialect: Dialect,
  field: FieldInfo,
  primaryKey = false,
  unique = true,
): string {
  const { spec } = field;
  let sql = `${dialect.quote(field.column)} ${dialect.columnType(spec)}`;
  if (primaryKey) sql += " PRIMARY KEY";
  if (!spec.nullable) sql += " NOT NULL";
  if (unique && spec.unique && !spec.primaryKey) sql += " UNIQUE";
  return sql + dialect.defaultClause(spec);
}

function columnDefinition(schema: Schema, field: FieldInfo, dialect: Dialect): string {
  if (schema.primaryKey === field && schema.autoIncrement) return dialect.autoIncrementColumn(field);
  return fieldDefinition(dialect, field, schema.primaryKey === field);
}

/** What a foreign-key clause says. */
export interface ForeignKeyParts {
  readonly columns: readonly string[];
  readonly table: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete?: string;
  readonly onUpdate?: string;
}

/** `REFERENCES t (b) [ON DELETE ...] [ON UPDATE ...]` (no column list: the parent's key). */
export function referencesClause(dialect: Dialect, fk: Omit<ForeignKeyParts, "columns">): string {
  const list = fk.referencedColumns.map((n) => dialect.quote(n)).join(", ");
  let sql = `REFERENCES ${dialect.quote(fk.table)}${list ? ` (${list})` : ""}`;
  if (fk.onDelete && fk.onDelete !== "no action") sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onUpdate && fk.onUpdate !== "no action") sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  return sql;
}

/** `FOREIGN KEY (a) REFERENCES t (b) [ON DELETE ...] [ON UPDATE ...]`. */
export function foreignKeyClause(dialect: Dialect, fk: ForeignKeyParts): string {
  return `FOREIGN KEY (${fk.columns.map((n) => dialect.quote(n)).join(", ")}) ${
    referencesClause(dialect, fk)
  }`;
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
    list.push(foreignKeyClause(dialect, {
      columns: [field.column],
      table: ref.table,
      referencedColumns: [ref.column],
      onDelete: ref.onDelete,
      onUpdate: ref.onUpdate,
    }));
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
