/**
 * @rho/activerecord: one model definition, a synchronous model (SQLite native, sql.js) and an
 * asynchronous one (PostgreSQL, MySQL, or SQLite), with the same method names.
 *
 * @example
 * ```ts
 * import { ActiveRecord, column, defineSchema } from "@rho/activerecord";
 * import { SQLiteBackend } from "@rho/activerecord/sqlite";
 *
 * const users = defineSchema("users", {
 *   id: column.integer().primaryKey(),
 *   name: column.text().maxLength(100),
 *   isActive: column.boolean().default(true),
 * });
 * class User extends ActiveRecord.model(users) {}
 * User.configure(new SQLiteBackend(":memory:"));
 * User.createTable();
 * User.create({ name: "Ann" });
 * User.query().where({ isActive: true }).count(); // 1
 * ```
 * @module
 */
export * from "./src/errors.ts";
export type { Mode, Out } from "./src/mode.ts";
export type {
  AsyncBackend,
  AsyncSession,
  Backend,
  DriverQuery,
  QueryResult,
  ReservedSession,
  SyncBackend,
  TransactionContext,
} from "./src/backend.ts";
export { sql, type SqlTag } from "./src/sql/tag.ts";
export { Identifier, Param, RawSql, SqlFragment, type SqlPart } from "./src/sql/fragment.ts";
export { type LexRules, STANDARD_SQL } from "./src/sql/lexer.ts";
export type { SqlFlavor } from "./src/sql/flavor.ts";
export type { CompiledQuery } from "./src/sql/writer.ts";
export {
  type Decoder,
  Dialect,
  type IsolationLevel,
  type TransactionOptions,
} from "./src/dialect/dialect.ts";
export { SQLiteDialect } from "./src/dialect/sqlite.ts";
export { PostgresDialect } from "./src/dialect/postgres.ts";
export { MySQLDialect } from "./src/dialect/mysql.ts";
export {
  type ForeignKeySpec,
  type ForeignKeySwitch,
  type IndexSpec,
  type MigrationLock,
  SchemaSql,
} from "./src/dialect/schema_sql.ts";
export { SQLiteSchemaSql } from "./src/dialect/sqlite_schema.ts";
export { PostgresSchemaSql } from "./src/dialect/postgres_schema.ts";
export { MySQLSchemaSql } from "./src/dialect/mysql_schema.ts";
export {
  type ColumnsOfSchema,
  type Declarations,
  type Related,
  type Relation,
  type RelationBuilder,
  type RelationKind,
  type RelationOptions,
  relations,
  type RelationsOf,
  type RelationSpec,
  type Through,
} from "./src/schema/relations.ts";
export {
  type AnyColumn,
  Column,
  column,
  type ColumnFactory,
  type ColumnKind,
  type ColumnReference,
  type ColumnRole,
  type ColumnSpec,
  type ReferentialAction,
  type Validator,
  type Verdict,
} from "./src/schema/column.ts";
export type { StandardIssue, StandardResult, StandardSchema } from "./src/schema/standard.ts";
export {
  optimisticLock,
  type OptimisticLockColumns,
  softDelete,
  type SoftDeleteColumns,
  type TimestampColumns,
  timestamps,
} from "./src/schema/mixins.ts";
export {
  type Attributes,
  type ColumnMap,
  type CreateAttributes,
  defineSchema,
  type EmptyRelations,
  type FieldInfo,
  type Fields,
  type NamingStrategy,
  type OptionalKeys,
  type RecordCheck,
  type RecordVerdict,
  type RelationType,
  type RelationTypes,
  Schema,
  type SchemaOptions,
  snakeCase,
  type ValueOf,
} from "./src/schema/schema.ts";
export {
  type ColumnsOf,
  type InstanceOf,
  type Key,
  Model,
  type ModelBase,
  type ModelClass,
  type ModeOf,
  type RecordClass,
  type RelationsOfModel,
} from "./src/model/model.ts";
export { RecordBase } from "./src/model/record.ts";
export {
  type HookResult,
  LIFECYCLE_EVENTS,
  type LifecycleEvent,
  type LifecycleListener,
} from "./src/model/lifecycle.ts";
export { ActiveRecord, type ActiveRecordClass } from "./src/model/active_record.ts";
export { AsyncActiveRecord, type AsyncActiveRecordClass } from "./src/model/async_active_record.ts";
export type { DeleteAllOptions, UpsertOptions } from "./src/model/bulk.ts";
export type { DeleteOptions } from "./src/model/delete.ts";
export {
  ActiveQuery,
  type ColumnInput,
  type Direction,
  type Loaders,
  type Records,
  type RelatedQuery,
  type RelationName,
  type SumOf,
} from "./src/query/active_query.ts";
export type {
  Counted,
  Loaded,
  RelatedRecord,
  RelationPath,
  RelationValue,
  SchemaColumns,
  SchemaRelations,
  UnionToIntersection,
} from "./src/query/loaded.ts";
export type { IterateOptions } from "./src/query/iterate.ts";
export type { WhereInput } from "./src/query/conditions.ts";
export type { Page } from "./src/query/terminals.ts";
export type { CreateTableOptions, DropTableOptions } from "./src/dialect/ddl.ts";
export { Executor, Transaction, type TransactionCallback } from "./src/transaction/handle.ts";
export type { Row, Statement } from "./src/run/statement.ts";
export { connect, connectAsync, Connection } from "./src/connection/connection.ts";
export {
  type BuilderCreateTableOptions,
  type ForeignKeyTarget,
  type IndexOptions,
  SchemaBuilder,
} from "./src/migrate/builder.ts";
export {
  checksumOf,
  defineMigration,
  type Migration,
  type MigrationDefinition,
} from "./src/migrate/migration.ts";
export { type MigrationTarget, Migrator, type MigratorOptions } from "./src/migrate/migrator.ts";
export type {
  MigrationReport,
  MigrationState,
  MigrationStatus,
  MigrationStep,
} from "./src/migrate/runner.ts";
export type { DifferenceKind, SchemaDifference } from "./src/migrate/diff.ts";
export type {
  ColumnInfo,
  ForeignKeyAction,
  ForeignKeyInfo,
  IndexInfo,
  InfoQuery,
  InfoReader,
  InfoRow,
  Introspection,
  TableInfo,
} from "./src/dialect/schema_info.ts";
export { type BackendFactory, registerBackend } from "./src/run/registry.ts";
export { SerializedAsyncBackend } from "./src/run/serialized.ts";
export type { LogQueriesOptions, QueryEvent, QueryListener, QueryListenerOptions } from "./src/run/events.ts";
