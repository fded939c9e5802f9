/**
 * The SQL of schema changes (ALTER TABLE and indexes), of reading a live schema, and how a database
 * runs migrations (its locks, whether DDL is transactional). Each dialect has one; the migration
 * layer reads its flags and statements, never the database's name.
 * @module
 */
import { ConfigurationError } from "../errors.ts";
import type { FieldInfo } from "../schema/schema.ts";
import type { Dialect } from "./dialect.ts";
import { fieldDefinition, foreignKeyClause } from "./ddl.ts";
import type { Introspection, TableInfo } from "./schema_info.ts";

/** An index to create. */
export interface IndexSpec {
  /** Its name. */
  readonly name: string;
  /** The table. */
  readonly table: string;
  /** The indexed columns, in order. */
  readonly columns: readonly string[];
  /** A unique index. */
  readonly unique: boolean;
}

/** A foreign key to add. */
export interface ForeignKeySpec {
  /** The constraint name. */
  readonly name: string;
  /** The referring columns. */
  readonly columns: readonly string[];
  /** The parent table. */
  readonly table: string;
  /** The parent's columns. */
  readonly referencedColumns: readonly string[];
  /** On delete of the parent. */
  readonly onDelete?: string;
  /** On update of the parent's key. */
  readonly onUpdate?: string;
}

/** How a database keeps two migration runners apart, for the migrations table `table`. */
export interface MigrationLock {
  /** A statement that takes a lock held until the transaction ends (PostgreSQL). */
  readonly inTransaction?: (table: string) => string;
  /**
   * Statements that take (its first value is 1 when taken) and release a lock held by the
   * connection (MySQL).
   */
  readonly session?: (table: string) => { readonly acquire: string; readonly release: string };
}

/** Foreign-key enforcement around a migration (SQLite rebuilds need it off, then a check). */
export interface ForeignKeySwitch {
  /** Reads whether enforcement is on (first column). */
  readonly read: string;
  /** Turns it off (outside a transaction). */
  readonly off: string;
  /** Turns it back on. */
  readonly on: string;
  /** Lists violations (no rows when there are none), before the commit. */
  readonly check: string;
}

/** Schema-change SQL, introspection and migration rules of one database; see each dialect's. */
export abstract class SchemaSql {
  /** True where DDL is transactional (a failed migration leaves no trace). */
  abstract readonly transactionalDdl: boolean;
  /** How migration runners are kept apart. */
  abstract readonly lock: MigrationLock;
  /** How live schemas are read. */
  abstract readonly introspection: Introspection;
  /** Set where a migration turns foreign-key enforcement off and checks it before committing. */
  readonly foreignKeys?: ForeignKeySwitch;

  /** For `dialect`. */
  constructor(protected readonly dialect: Dialect) {}

  /** Quotes a name. */
  protected q(name: string): string {
    return this.dialect.quote(name);
  }

  /** `ALTER TABLE a RENAME TO b`. */
  renameTable(from: string, to: string): string[] {
    return [`ALTER TABLE ${this.q(from)} RENAME TO ${this.q(to)}`];
  }

  /**
   * `ALTER TABLE t ADD COLUMN ...` (and its foreign key); undefined where the table must be rebuilt
   * instead.
   */
  addColumn(table: string, field: FieldInfo): string[] | undefined {
    const statements = [`ALTER TABLE ${this.q(table)} ADD COLUMN ${fieldDefinition(this.dialect, field)}`];
    const ref = field.spec.references;
    if (ref) {
      statements.push(
        ...this.addForeignKey(table, {
          name: foreignKeyName(table, [field.column]),
          columns: [field.column],
          table: ref.table,
          referencedColumns: [ref.column],
          onDelete: ref.onDelete,
          onUpdate: ref.onUpdate,
        })!,
      );
    }
    return statements;
  }

  /** `ALTER TABLE t DROP COLUMN c`; undefined where the table must be rebuilt. */
  dropColumn(table: string, column: string): string[] | undefined {
    return [`ALTER TABLE ${this.q(table)} DROP COLUMN ${this.q(column)}`];
  }

  /** `ALTER TABLE t RENAME COLUMN a TO b`. */
  renameColumn(table: string, from: string, to: string): string[] {
    return [`ALTER TABLE ${this.q(table)} RENAME COLUMN ${this.q(from)} TO ${this.q(to)}`];
  }

  /** Statements giving column `field.column` the type, nullability and default of `field`; undefined: rebuild. */
  abstract alterColumn(table: string, field: FieldInfo): string[] | undefined;

  /** `CREATE [UNIQUE] INDEX name ON t (columns)`. */
  createIndex(index: IndexSpec): string {
    const columns = index.columns.map((c) => this.q(c)).join(", ");
    return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${this.q(index.name)} ON ${
      this.q(index.table)
    } (${columns})`;
  }

  /** `DROP INDEX name`. */
  dropIndex(_table: string, name: string): string {
    return `DROP INDEX ${this.q(name)}`;
  }

  /** `ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY ...`; undefined where the table must be rebuilt. */
  addForeignKey(table: string, fk: ForeignKeySpec): string[] | undefined {
    return [
      `ALTER TABLE ${this.q(table)} ADD CONSTRAINT ${this.q(fk.name)} ${foreignKeyClause(this.dialect, fk)}`,
    ];
  }

  /** The form of a type name in which a declared type and a live one compare equal. */
  normalizeType(type: string): string {
    return type.toLowerCase().replace(/\s*,\s*/g, ",").replace(/\s+/g, " ").trim();
  }

  /** Statements that rebuild `table` as `next` keeping its rows (where ALTER TABLE cannot; SQLite). */
  rebuild(_table: TableInfo, _next: TableInfo): string[] {
    throw new Error(`${this.dialect.name} alters tables in place`);
  }
}

/** The default name of an index: `idx_<table>_<columns>` (`ux_` for unique ones). */
export function indexName(table: string, columns: readonly string[], unique: boolean): string {
  return `${unique ? "ux" : "idx"}_${table}_${columns.join("_")}`;
}

/** The default name of a foreign key: `fk_<table>_<columns>`. */
export function foreignKeyName(table: string, columns: readonly string[]): string {
  return `fk_${table}_${columns.join("_")}`;
}

/** The schema-change SQL of `dialect`; a `ConfigurationError` for a dialect without one. */
export function schemaSqlOf(dialect: Dialect): SchemaSql {
  const found = (dialect as { readonly schemaSql?: unknown }).schemaSql;
  if (!(found instanceof SchemaSql)) {
    throw new ConfigurationError(`${dialect.name} has no schema-change SQL, which migrations need`);
  }
  return found;
}
