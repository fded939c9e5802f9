/**
 * SQLite schema changes. ALTER TABLE only renames and adds simple columns; everything else rebuilds
 * the table the way SQLite documents it (https://sqlite.org/lang_altertable.html#otheralter): a new
 * table, the rows copied, the old one dropped, the new one renamed, indexes made again; the migration
 * runs with foreign keys off and checks them before it commits.
 * @module
 */
import type { FieldInfo } from "../schema/schema.ts";
import { fieldDefinition, foreignKeyClause, referencesClause } from "./ddl.ts";
import {
  action,
  type ColumnInfo,
  type ForeignKeyInfo,
  indexFrom,
  type IndexInfo,
  type InfoRow,
  type Introspection,
  rowsQuery,
  type TableInfo,
  truthy,
} from "./schema_info.ts";
import { type ForeignKeySwitch, type MigrationLock, SchemaSql } from "./schema_sql.ts";

const introspection: Introspection = {
  tables: () =>
    rowsQuery(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ),
  columns: {
    query: (table) =>
      rowsQuery(
        `SELECT name, type, "notnull" AS not_null, dflt_value, pk, (pk = 1 AND (SELECT sql FROM sqlite_master ` +
          `WHERE type = 'table' AND name = ?) LIKE '%AUTOINCREMENT%') AS generated FROM pragma_table_info(?) ORDER BY cid`,
        [table, table],
      ),
    read: (rows) =>
      rows.map((row): ColumnInfo => ({
        name: String(row.name),
        type: String(row.type ?? ""),
        nullable: !truthy(row.not_null) && !(Number(row.pk) > 0),
        default: row.dflt_value === null || row.dflt_value === undefined ? null : String(row.dflt_value),
        primaryKey: Number(row.pk) > 0,
        generated: truthy(row.generated),
      })),
  },
  indexes: {
    query: (table) =>
      rowsQuery(
        `SELECT il.name AS name, il."unique" AS is_unique, il.origin AS origin, (SELECT group_concat(c.name) FROM ` +
          `(SELECT name FROM pragma_index_info(il.name) ORDER BY seqno) c) AS columns, m.sql AS sql ` +
          `FROM pragma_index_list(?) il LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = il.name ORDER BY il.name`,
        [table],
      ),
    read: (rows) =>
      rows.map((row): IndexInfo => ({
        ...indexFrom(row, row.origin !== "c", row.origin === "pk"),
        ...(typeof row.sql === "string" ? { sql: row.sql } : {}),
      })),
  },
  foreignKeys: {
    query: (table) =>
      rowsQuery(
        `SELECT id, "table" AS parent, "from" AS from_column, "to" AS to_column, on_update, on_delete ` +
          `FROM pragma_foreign_key_list(?) ORDER BY id, seq`,
        [table],
      ),
    read: (rows) => {
      const byId = new Map<unknown, InfoRow[]>();
      for (const row of rows) byId.set(row.id, [...byId.get(row.id) ?? [], row]);
      return [...byId.values()].map((group): ForeignKeyInfo => ({
        columns: group.map((row) => String(row.from_column)),
        table: String(group[0].parent),
        referencedColumns: group.every((row) => row.to_column !== null)
          ? group.map((row) => String(row.to_column))
          : [],
        onDelete: action(group[0].on_delete),
        onUpdate: action(group[0].on_update),
      }));
    },
  },
};

/** SQLite: DDL is transactional; `BEGIN IMMEDIATE` keeps two runners apart. */
export class SQLiteSchemaSql extends SchemaSql {
  /** DDL commits and rolls back with the transaction. */
  readonly transactionalDdl = true;
  /** A migration's `BEGIN IMMEDIATE` takes the write lock: no statement of its own is needed. */
  readonly lock: MigrationLock = {};
  /** Reads `sqlite_master` and the `pragma_*` table functions. */
  readonly introspection: Introspection = introspection;
  /** Off around a migration (outside its transaction), checked before it commits. */
  override readonly foreignKeys: ForeignKeySwitch = {
    read: "PRAGMA foreign_keys",
    off: "PRAGMA foreign_keys = OFF",
    on: "PRAGMA foreign_keys = ON",
    check: "PRAGMA foreign_key_check",
  };

  /**
   * `ADD COLUMN` where SQLite allows it: not a key, not unique, a constant default, NOT NULL only
   * with a default, a foreign key only when the column may be NULL. Otherwise the table is rebuilt.
   */
  override addColumn(table: string, field: FieldInfo): string[] | undefined {
    const { spec } = field;
    const constantDefault = !spec.defaultNow && (!spec.hasDefault || typeof spec.default !== "function");
    const inPlace = !spec.primaryKey && !spec.unique && constantDefault &&
      (spec.nullable || (spec.hasDefault && spec.default !== null)) &&
      (!spec.references || (spec.nullable && !spec.hasDefault));
    if (!inPlace) return undefined;
    let definition = fieldDefinition(this.dialect, field);
    const ref = spec.references;
    if (ref) definition += ` ${referencesClause(this.dialect, { ...ref, referencedColumns: [ref.column] })}`;
    return [`ALTER TABLE ${this.q(table)} ADD COLUMN ${definition}`];
  }

  /** Rebuilt. */
  override dropColumn(): undefined {
    return undefined;
  }

  /** Rebuilt. */
  alterColumn(): undefined {
    return undefined;
  }

  /** Rebuilt. */
  override addForeignKey(): undefined {
    return undefined;
  }

  /** New table, rows copied (the columns both have), old dropped, new renamed, indexes made again. */
  override rebuild(table: TableInfo, next: TableInfo): string[] {
    const temp = `ar_rebuild_${table.name}`;
    const kept = next.columns.filter((c) => table.columns.some((old) => old.name === c.name)).map((c) =>
      this.q(c.name)
    );
    const statements = [
      this.createTableSql(temp, next),
      `INSERT INTO ${this.q(temp)} (${kept.join(", ")}) SELECT ${kept.join(", ")} FROM ${this.q(table.name)}`,
      `DROP TABLE ${this.q(table.name)}`,
      `ALTER TABLE ${this.q(temp)} RENAME TO ${this.q(table.name)}`,
    ];
    for (const index of next.indexes) {
      if (index.constraint) continue;
      statements.push(index.sql ?? this.createIndex({ ...index, table: table.name }));
    }
    return statements;
  }

  /** `CREATE TABLE` of a table described by introspection. */
  createTableSql(name: string, info: TableInfo): string {
    const primary = info.indexes.find((index) => index.primary)?.columns ??
      info.columns.filter((c) => c.primaryKey).map((c) => c.name);
    const lines = info.columns.map((column) => {
      if (column.generated) return `${this.q(column.name)} INTEGER PRIMARY KEY AUTOINCREMENT`;
      let line = column.type ? `${this.q(column.name)} ${column.type}` : this.q(column.name);
      if (!column.nullable && !column.primaryKey) line += " NOT NULL";
      if (column.default !== null) line += ` DEFAULT (${column.default})`; // introspection drops the parentheses
      return line;
    });
    if (primary.length && !info.columns.some((c) => c.generated)) {
      lines.push(`PRIMARY KEY (${primary.map((c) => this.q(c)).join(", ")})`);
    }
    for (const index of info.indexes) {
      if (index.constraint && index.unique && !index.primary) {
        lines.push(`UNIQUE (${index.columns.map((c) => this.q(c)).join(", ")})`);
      }
    }
    for (const fk of info.foreignKeys) lines.push(foreignKeyClause(this.dialect, fk));
    return `CREATE TABLE ${this.q(name)} (\n  ${lines.join(",\n  ")}\n)`;
  }
}
