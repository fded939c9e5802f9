/**
 * PostgreSQL schema changes (all in place) and introspection from the system catalogs, in the
 * current schema (`search_path`).
 * @module
 */
import type { FieldInfo } from "../schema/schema.ts";
import {
  action,
  type ColumnInfo,
  type ForeignKeyInfo,
  indexFrom,
  type Introspection,
  nameList,
  rowsQuery,
  truthy,
} from "./schema_info.ts";
import { type MigrationLock, SchemaSql } from "./schema_sql.ts";

/** The table `$1` of the current schema. */
const TABLE = "to_regclass(format('%I.%I', current_schema(), $1::text))";

/** The names of attributes `keys` (an int2vector or array) of relation `rel`, in order, comma-separated. */
const names = (keys: string, rel: string) =>
  `array_to_string(ARRAY(SELECT a.attname FROM unnest(${keys}) WITH ORDINALITY k(n, o) ` +
  `JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.o), ',')`;

const ACTIONS: Record<string, string> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

const introspection: Introspection = {
  tables: () =>
    rowsQuery(
      "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1",
    ),
  columns: {
    query: (table) =>
      rowsQuery(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, ` +
          `pg_get_expr(d.adbin, d.adrelid) AS default_sql, a.attidentity <> '' AS identity, ` +
          `EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary ` +
          `AND a.attnum = ANY(i.indkey)) AS primary_key FROM pg_attribute a LEFT JOIN pg_attrdef d ` +
          `ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = ${TABLE} AND a.attnum > 0 ` +
          `AND NOT a.attisdropped ORDER BY a.attnum`,
        [table],
      ),
    read: (rows) =>
      rows.map((row): ColumnInfo => {
        const defaultSql = typeof row.default_sql === "string" ? row.default_sql : null;
        return {
          name: String(row.name),
          type: String(row.type),
          nullable: truthy(row.nullable),
          default: defaultSql,
          primaryKey: truthy(row.primary_key),
          generated: truthy(row.identity) || (defaultSql ?? "").startsWith("nextval("),
        };
      }),
  },
  indexes: {
    query: (table) =>
      rowsQuery(
        `SELECT i.relname AS name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary, ` +
          `EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype IN ('u', 'p')) ` +
          `AS is_constraint, ${names("ix.indkey", "ix.indrelid")} AS columns FROM pg_index ix ` +
          `JOIN pg_class i ON i.oid = ix.indexrelid WHERE ix.indrelid = ${TABLE} ORDER BY 1`,
        [table],
      ),
    read: (rows) => rows.map((row) => indexFrom(row, truthy(row.is_constraint), truthy(row.is_primary))),
  },
  foreignKeys: {
    query: (table) =>
      rowsQuery(
        `SELECT con.conname AS name, parent.relname AS parent, ${
          names("con.conkey", "con.conrelid")
        } AS columns, ` +
          `${names("con.confkey", "con.confrelid")} AS referenced, con.confdeltype AS on_delete, ` +
          `con.confupdtype AS on_update FROM pg_constraint con JOIN pg_class parent ON parent.oid = con.confrelid ` +
          `WHERE con.contype = 'f' AND con.conrelid = ${TABLE} ORDER BY 1`,
        [table],
      ),
    read: (rows) =>
      rows.map((row): ForeignKeyInfo => ({
        name: String(row.name),
        columns: nameList(row.columns),
        table: String(row.parent),
        referencedColumns: nameList(row.referenced),
        onDelete: action(ACTIONS[String(row.on_delete)]),
        onUpdate: action(ACTIONS[String(row.on_update)]),
      })),
  },
};

/** How PostgreSQL spells the types this library declares (`format_type` names). */
const TYPE_NAMES: [RegExp, string][] = [
  [/^timestamptz$/, "timestamp with time zone"],
  [/^time$/, "time without time zone"],
  [/^varchar\(/, "character varying("],
];

/** PostgreSQL: transactional DDL; an advisory lock held by the migration's transaction. */
export class PostgresSchemaSql extends SchemaSql {
  /** DDL commits and rolls back with the transaction. */
  readonly transactionalDdl = true;
  /** `pg_advisory_xact_lock` on a key made of the schema and the migrations table. */
  readonly lock: MigrationLock = {
    inTransaction: (table) =>
      `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || ${this.dialect.literal(table)}))`,
  };
  /** Reads the system catalogs. */
  readonly introspection: Introspection = introspection;

  /** `ALTER COLUMN ... TYPE ... USING`, `SET/DROP NOT NULL`, `SET/DROP DEFAULT`, in one statement. */
  alterColumn(table: string, field: FieldInfo): string[] {
    const column = this.q(field.column);
    const type = this.dialect.columnType(field.spec);
    const fallback = this.dialect.defaultClause(field.spec).replace(/^ DEFAULT /, "");
    return [
      `ALTER TABLE ${this.q(table)} ALTER COLUMN ${column} TYPE ${type} USING ${column}::${type}, ` +
      `ALTER COLUMN ${column} ${field.spec.nullable ? "DROP" : "SET"} NOT NULL, ` +
      `ALTER COLUMN ${column} ${fallback ? `SET DEFAULT ${fallback}` : "DROP DEFAULT"}`,
    ];
  }

  /** Declared names in the catalogs' spelling. */
  override normalizeType(type: string): string {
    let text = super.normalizeType(type);
    for (const [pattern, name] of TYPE_NAMES) text = text.replace(pattern, name);
    return text;
  }
}
