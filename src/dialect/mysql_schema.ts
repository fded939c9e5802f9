/**
 * MySQL / MariaDB schema changes (in place; DDL commits by itself, so a failed migration says which
 * statements ran) and introspection from `information_schema`, in the current database.
 * @module
 */
import type { FieldInfo } from "../schema/schema.ts";
import { fieldDefinition } from "./ddl.ts";
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

const introspection: Introspection = {
  tables: () =>
    rowsQuery(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() " +
        "AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    ),
  columns: {
    query: (table) =>
      rowsQuery(
        "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS default_sql, " +
          "COLUMN_KEY AS column_key, EXTRA AS extra FROM information_schema.COLUMNS " +
          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
        [table],
      ),
    read: (rows) =>
      rows.map((row): ColumnInfo => ({
        name: String(row.name),
        type: String(row.type),
        nullable: truthy(row.nullable),
        // MariaDB reports a column without a default as the text NULL
        default: row.default_sql === null || row.default_sql === "NULL" ? null : String(row.default_sql),
        primaryKey: row.column_key === "PRI",
        generated: String(row.extra ?? "").includes("auto_increment"),
      })),
  },
  indexes: {
    query: (table) =>
      rowsQuery(
        "SELECT s.INDEX_NAME AS name, MIN(s.NON_UNIQUE) = 0 AS is_unique, " +
          "GROUP_CONCAT(s.COLUMN_NAME ORDER BY s.SEQ_IN_INDEX) AS columns, " +
          "(SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS c WHERE c.TABLE_SCHEMA = s.TABLE_SCHEMA " +
          "AND c.TABLE_NAME = s.TABLE_NAME AND c.CONSTRAINT_NAME = s.INDEX_NAME) > 0 AS is_constraint " +
          "FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = ? " +
          "GROUP BY s.TABLE_SCHEMA, s.TABLE_NAME, s.INDEX_NAME ORDER BY 1",
        [table],
      ),
    read: (rows) => rows.map((row) => indexFrom(row, truthy(row.is_constraint), row.name === "PRIMARY")),
  },
  foreignKeys: {
    query: (table) =>
      rowsQuery(
        "SELECT k.CONSTRAINT_NAME AS name, k.REFERENCED_TABLE_NAME AS parent, " +
          "GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION) AS columns, " +
          "GROUP_CONCAT(k.REFERENCED_COLUMN_NAME ORDER BY k.ORDINAL_POSITION) AS referenced, " +
          "r.DELETE_RULE AS on_delete, r.UPDATE_RULE AS on_update FROM information_schema.KEY_COLUMN_USAGE k " +
          "JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA " +
          "AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME " +
          "WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL " +
          "GROUP BY k.CONSTRAINT_NAME, k.REFERENCED_TABLE_NAME, r.DELETE_RULE, r.UPDATE_RULE ORDER BY 1",
        [table],
      ),
    read: (rows) =>
      rows.map((row): ForeignKeyInfo => ({
        name: String(row.name),
        columns: nameList(row.columns),
        table: String(row.parent),
        referencedColumns: nameList(row.referenced),
        onDelete: action(row.on_delete),
        onUpdate: action(row.on_update),
      })),
  },
};

/** MySQL / MariaDB: DDL commits as it goes; `GET_LOCK` keeps two runners apart. */
export class MySQLSchemaSql extends SchemaSql {
  /** Each DDL statement commits by itself. */
  readonly transactionalDdl = false;
  /** A named lock of the connection, per database and migrations table. */
  readonly lock: MigrationLock = {
    session: (table) => {
      const name = `CONCAT(DATABASE(), '.', ${this.dialect.literal(table)})`;
      return { acquire: `SELECT GET_LOCK(${name}, 60)`, release: `SELECT RELEASE_LOCK(${name})` };
    },
  };
  /** Reads `information_schema`. */
  readonly introspection: Introspection = introspection;

  /** `ALTER TABLE t MODIFY COLUMN <definition>` (uniqueness is left to indexes). */
  alterColumn(table: string, field: FieldInfo): string[] {
    const definition = fieldDefinition(this.dialect, field, false, false);
    return [`ALTER TABLE ${this.q(table)} MODIFY COLUMN ${definition}`];
  }

  /** `DROP INDEX name ON t`. */
  override dropIndex(table: string, name: string): string {
    return `DROP INDEX ${this.q(name)} ON ${this.q(table)}`;
  }

  /** Integer display widths go (`bigint(20)`); JSON is LONGTEXT on MariaDB. */
  override normalizeType(type: string): string {
    return super.normalizeType(type).replace(/^(bigint|int|smallint|mediumint)\(\d+\)/, "$1").replace(
      /^json$/,
      "longtext",
    );
  }
}
