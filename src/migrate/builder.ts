/**
 * The schema builder a migration's `up` and `down` are given: it records operations, and the runner
 * performs them in order, in the migration's transaction. Each operation is the dialect's statement,
 * or (where ALTER TABLE cannot do it: SQLite) a rebuild of the table that keeps its rows.
 * @module
 */
import type { Dialect } from "../dialect/dialect.ts";
import { type CreateTableOptions, createTableSql } from "../dialect/ddl.ts";
import type { ColumnInfo, IndexInfo, TableInfo } from "../dialect/schema_info.ts";
import { foreignKeyName, indexName, type SchemaSql } from "../dialect/schema_sql.ts";
import { ArgumentError, MigrationError } from "../errors.ts";
import type { Frame } from "../run/frame.ts";
import { execute, type Flow } from "../run/request.ts";
import { compileStatement } from "../run/statement.ts";
import type { AnyColumn, ReferentialAction } from "../schema/column.ts";
import {
  type ColumnMap,
  defineSchema,
  type FieldInfo,
  type NamingStrategy,
  Schema,
  snakeCase,
} from "../schema/schema.ts";
import { assertPlainName } from "../sql/identifier.ts";
import { tableInfoFlow } from "./introspect.ts";

/** Where operations run, and what has run (for the error of a migration that fails halfway). */
export interface OperationContext {
  readonly dialect: Dialect;
  readonly sql: SchemaSql;
  readonly frame: Frame | undefined;
  /** The statements that completed, in order. */
  readonly ran: string[];
}

/** One recorded operation. */
export type Operation = (context: OperationContext) => Flow<void>;

/** An index of `createTable`'s options or of `addIndex`. */
export interface IndexOptions {
  /** A unique index. */
  readonly unique?: boolean;
  /** Its name (default `idx_<table>_<columns>`, `ux_` when unique). */
  readonly name?: string;
}

/** Options of the builder's `createTable`. */
export interface BuilderCreateTableOptions extends CreateTableOptions {
  /** Indexes to create with the table: columns (property or column names) and options. */
  readonly indexes?: readonly ({ readonly columns: readonly string[] } & IndexOptions)[];
}

/** The parent side of `addForeignKey`. */
export interface ForeignKeyTarget {
  /** The parent table. */
  readonly table: string;
  /** Its columns (default `["id"]`). */
  readonly columns?: readonly string[];
  /** On delete of the parent. */
  readonly onDelete?: ReferentialAction;
  /** On update of the parent's key. */
  readonly onUpdate?: ReferentialAction;
  /** The constraint name (default `fk_<table>_<columns>`). */
  readonly name?: string;
}

const recorded = new WeakMap<SchemaBuilder, Operation[]>();

/** The operations `builder` recorded, in order. */
export function operationsOf(builder: SchemaBuilder): readonly Operation[] {
  return recorded.get(builder) ?? [];
}

/** Runs one statement of an operation, and notes it as run. */
export function* runStatement(
  context: OperationContext,
  text: string,
  params: readonly unknown[] = [],
): Flow<void> {
  yield* execute({ text, params, returnsRows: false }, context.frame);
  context.ran.push(text);
}

/**
 * Records schema changes for a migration: `up(m)` and `down(m)` call its methods. Column names may be
 * given as property names (`authorId`): they map to column names the way `defineSchema` maps them
 * (`author_id`, unless the migrator's naming is `"preserve"`).
 *
 * @example
 * ```ts
 * defineMigration({
 *   id: "20261123_posts",
 *   up(m) {
 *     m.createTable(posts);
 *     m.addColumn("posts", "publishedAt", column.datetime().nullable());
 *     m.addIndex("posts", ["userId"]);
 *   },
 *   down(m) { m.dropTable("posts"); },
 * });
 * ```
 */
export class SchemaBuilder {
  readonly #naming: NamingStrategy;

  /** A builder mapping property names to column names by `naming`. */
  constructor(naming: NamingStrategy = "snake_case") {
    this.#naming = naming;
    recorded.set(this, []);
  }

  #add(operation: Operation): this {
    recorded.get(this)!.push(operation);
    return this;
  }

  #column(name: string): string {
    assertPlainName(name, "column name");
    return this.#naming === "snake_case" ? snakeCase(name) : name;
  }

  #field(name: string, column: AnyColumn): FieldInfo {
    if (!column || typeof column !== "object" || !("spec" in column)) {
      throw new ArgumentError(
        `the column ${JSON.stringify(name)} must be a column builder: column.text(), ...`,
      );
    }
    const columnName = column.spec.columnName ?? this.#column(name);
    return { name, column: assertPlainName(columnName, "column name"), index: 0, spec: column.spec };
  }

  /**
   * Creates a table from a schema, or from a name and columns (as `defineSchema` takes them), with
   * its keys, unique columns and foreign keys, and any `indexes`.
   */
  createTable(schema: Schema, options?: BuilderCreateTableOptions): this;
  /** Creates table `name` with `columns`, as `defineSchema(name, columns)` would define it. */
  createTable(name: string, columns: ColumnMap, options?: BuilderCreateTableOptions): this;
  createTable(
    target: Schema | string,
    columnsOrOptions?: ColumnMap | BuilderCreateTableOptions,
    maybeOptions?: BuilderCreateTableOptions,
  ): this {
    const schema = target instanceof Schema
      ? target
      : defineSchema(target, columnsOrOptions as ColumnMap, { naming: this.#naming });
    const options =
      (target instanceof Schema ? columnsOrOptions : maybeOptions) as BuilderCreateTableOptions ?? {};
    const indexes = (options.indexes ?? []).map((index) => {
      const columns = index.columns.map((name) => schema.field(name)?.column ?? this.#column(name));
      const unique = index.unique === true;
      return {
        name: index.name ?? indexName(schema.table, columns, unique),
        table: schema.table,
        columns,
        unique,
      };
    });
    return this.#add(function* (context) {
      yield* runStatement(context, createTableSql(schema, context.dialect, options));
      for (const index of indexes) yield* runStatement(context, context.sql.createIndex(index));
    });
  }

  /** Drops a table. */
  dropTable(name: string, options: { readonly ifExists?: boolean } = {}): this {
    assertPlainName(name, "table name");
    return this.#add(function* (context) {
      const exists = options.ifExists ? "IF EXISTS " : "";
      yield* runStatement(context, `DROP TABLE ${exists}${context.dialect.quote(name)}`);
    });
  }

  /** Renames a table; its rows, indexes and keys go with it. */
  renameTable(from: string, to: string): this {
    assertPlainName(from, "table name");
    assertPlainName(to, "table name");
    return this.#add(function* (context) {
      for (const text of context.sql.renameTable(from, to)) yield* runStatement(context, text);
    });
  }

  /** Adds a column (its foreign key too); existing rows get its default. */
  addColumn(table: string, name: string, column: AnyColumn): this {
    const field = this.#field(name, column);
    return this.#add(function* (context) {
      const statements = context.sql.addColumn(table, field);
      if (statements) {
        for (const text of statements) yield* runStatement(context, text);
        return;
      }
      yield* rebuild(context, table, (info) => ({
        ...info,
        columns: [...info.columns, columnInfoOf(context.dialect, field)],
        indexes: field.spec.unique ? [...info.indexes, uniqueIndex(table, field.column)] : info.indexes,
        foreignKeys: field.spec.references
          ? [...info.foreignKeys, {
            columns: [field.column],
            table: field.spec.references.table,
            referencedColumns: [field.spec.references.column],
            onDelete: field.spec.references.onDelete ?? "no action",
            onUpdate: field.spec.references.onUpdate ?? "no action",
          }]
          : info.foreignKeys,
      }));
    });
  }

  /** Drops a column (and, where the table is rebuilt, the indexes and foreign keys that use it). */
  dropColumn(table: string, name: string): this {
    const column = this.#column(name);
    return this.#add(function* (context) {
      const statements = context.sql.dropColumn(table, column);
      if (statements) {
        for (const text of statements) yield* runStatement(context, text);
        return;
      }
      yield* rebuild(context, table, (info) => {
        requireColumn(info, column);
        return {
          ...info,
          columns: info.columns.filter((c) => c.name !== column),
          indexes: info.indexes.filter((index) => !index.columns.includes(column)),
          foreignKeys: info.foreignKeys.filter((fk) => !fk.columns.includes(column)),
        };
      });
    });
  }

  /** Renames a column, keeping its values. */
  renameColumn(table: string, from: string, to: string): this {
    const [old, next] = [this.#column(from), this.#column(to)];
    return this.#add(function* (context) {
      for (const text of context.sql.renameColumn(table, old, next)) yield* runStatement(context, text);
    });
  }

  /**
   * Gives a column the type, nullability and default of `column` (its values converted by the
   * database). A column made NOT NULL with a constant default first gets that default where it is NULL.
   */
  alterColumn(table: string, name: string, column: AnyColumn): this {
    const field = this.#field(name, column);
    const { spec } = field;
    const backfill = !spec.nullable && spec.hasDefault && spec.default !== null &&
      typeof spec.default !== "function";
    return this.#add(function* (context) {
      if (backfill) {
        const { dialect } = context;
        const value = dialect.encodeParam(spec.default, spec.kind, 1);
        const target = `${dialect.quote(table)} SET ${dialect.quote(field.column)} = ${
          dialect.placeholder(1)
        }`;
        yield* runStatement(context, `UPDATE ${target} WHERE ${dialect.quote(field.column)} IS NULL`, [
          value,
        ]);
      }
      const statements = context.sql.alterColumn(table, field);
      if (statements) {
        for (const text of statements) yield* runStatement(context, text);
        return;
      }
      yield* rebuild(context, table, (info) => {
        const old = requireColumn(info, field.column);
        const next = {
          ...columnInfoOf(context.dialect, field),
          primaryKey: old.primaryKey,
          generated: old.generated,
        };
        return { ...info, columns: info.columns.map((c) => c === old ? next : c) };
      });
    });
  }

  /** Creates an index on one or more columns. */
  addIndex(table: string, columns: string | readonly string[], options: IndexOptions = {}): this {
    const names = [columns].flat().map((c) => this.#column(c));
    const unique = options.unique === true;
    const index = { name: options.name ?? indexName(table, names, unique), table, columns: names, unique };
    return this.#add(function* (context) {
      yield* runStatement(context, context.sql.createIndex(index));
    });
  }

  /** Drops an index, by its name or by the columns it was created on (with the default name). */
  dropIndex(table: string, nameOrColumns: string | readonly string[], options: IndexOptions = {}): this {
    const name = typeof nameOrColumns === "string"
      ? assertPlainName(nameOrColumns, "index name")
      : indexName(table, nameOrColumns.map((c) => this.#column(c)), options.unique === true);
    return this.#add(function* (context) {
      yield* runStatement(context, context.sql.dropIndex(table, name));
    });
  }

  /** Adds a foreign key from `columns` to `target.table`'s columns (its `id` by default). */
  addForeignKey(table: string, columns: string | readonly string[], target: ForeignKeyTarget): this {
    const names = [columns].flat().map((c) => this.#column(c));
    const fk = {
      name: target.name ?? foreignKeyName(table, names),
      columns: names,
      table: target.table,
      referencedColumns: target.columns ?? ["id"],
      onDelete: target.onDelete ?? "no action",
      onUpdate: target.onUpdate ?? "no action",
    } as const;
    return this.#add(function* (context) {
      const statements = context.sql.addForeignKey(table, fk);
      if (statements) {
        for (const text of statements) yield* runStatement(context, text);
        return;
      }
      yield* rebuild(context, table, (info) => ({ ...info, foreignKeys: [...info.foreignKeys, fk] }));
    });
  }

  /** Runs SQL as it is (data changes, anything the builder does not cover); `?` placeholders take `params`. */
  execute(sql: string, params: readonly unknown[] = []): this {
    if (typeof sql !== "string" || sql.trim() === "") throw new ArgumentError("execute() takes SQL text");
    return this.#add(function* (context) {
      const { text, params: bound } = compileStatement(context.dialect, sql, params, false);
      yield* runStatement(context, text, bound);
    });
  }
}

/** Rebuilds `table` as `change` describes it, keeping its rows (SQLite's way to alter). */
function* rebuild(
  context: OperationContext,
  table: string,
  change: (info: TableInfo) => TableInfo,
): Flow<void> {
  const info = yield* tableInfoFlow(context.dialect, table, context.frame);
  if (!info) throw new MigrationError(`there is no table ${table} to change`);
  for (const text of context.sql.rebuild(info, change(info))) yield* runStatement(context, text);
}

/** The column `name` of `info`, or a `MigrationError`. */
function requireColumn(info: TableInfo, name: string): ColumnInfo {
  const column = info.columns.find((c) => c.name === name);
  if (!column) throw new MigrationError(`${info.name} has no column ${name}`);
  return column;
}

/** How a column defined by `field` reads in introspection. */
function columnInfoOf(dialect: Dialect, field: FieldInfo): ColumnInfo {
  const fallback = dialect.defaultClause(field.spec).replace(/^ DEFAULT /, "");
  return {
    name: field.column,
    type: dialect.columnType(field.spec),
    nullable: field.spec.nullable,
    default: fallback || null,
    primaryKey: false,
    generated: false,
  };
}

/** A UNIQUE constraint on one column, as introspection reads it. */
function uniqueIndex(table: string, column: string): IndexInfo {
  return {
    name: indexName(table, [column], true),
    columns: [column],
    unique: true,
    constraint: true,
    primary: false,
  };
}
