/**
 * `Model`: the base of `ActiveRecord` (sync) and `AsyncActiveRecord` (async): the persistence
 * methods of records and every static method, written once. Each method hands a flow to the
 * model's engine, which answers with values (sync) or Promises (async).
 * @module
 */
import type { Backend } from "../backend.ts";
import type { CreateTableOptions, DropTableOptions } from "../dialect/ddl.ts";
import type { TransactionOptions } from "../dialect/dialect.ts";
import type { Mode, Out } from "../mode.ts";
import { ActiveQuery, scopeConditionOf } from "../query/active_query.ts";
import { addDefaultScope, requireScopeFunction } from "./scopes.ts";
import type { WhereInput } from "../query/conditions.ts";
import type { Engine } from "../run/engine.ts";
import type { Statement } from "../run/statement.ts";
import type {
  Attributes,
  ColumnMap,
  CreateAttributes,
  EmptyRelations,
  Fields,
  RelationTypes,
  Schema,
} from "../schema/schema.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { ArgumentError, type ValidationErrors } from "../errors.ts";
import type { RelationPath } from "../query/loaded.ts";
import { preloadFlow } from "../relation/preload.ts";
import type { RecordSource } from "../relation/source.ts";
import { type LoadTree, NO_LOADS, withPath } from "../relation/tree.ts";
import type { Flow } from "../run/request.ts";
import {
  beginTransaction,
  runTransaction,
  type Transaction,
  type TransactionCallback,
} from "../transaction/handle.ts";
import { backendOf, bind, engineOf, pingFlow, requireSchema, run, sourceOf } from "./binding.ts";
import { createTableFlow, dropTableFlow } from "./ddl.ts";
import {
  deleteAllFlow,
  type DeleteAllOptions,
  insertManyFlow,
  upsertFlow,
  type UpsertOptions,
} from "./bulk.ts";
import { deleteFlow, type DeleteOptions } from "./delete.ts";
import { restoreFlow, touchFlow } from "./mixins.ts";
import { findAllFlow, findBySqlFlow, findOne, refreshFlow } from "./finders.ts";
import { type HookResult, type LifecycleEvent, type LifecycleListener, subscribe } from "./lifecycle.ts";
import { save } from "./save.ts";
import { updateAll } from "./update_all.ts";
import { validateRecordFlow } from "./checks.ts";
import {
  type ColumnsOf,
  type InstanceOf,
  internals,
  type Key,
  type ModelClass,
  type ModeOf,
  RecordBase,
} from "./record.ts";

export type { ColumnsOf, InstanceOf, Key, ModelClass, ModeOf } from "./record.ts";

/** Loads the relation `name` of `record` and returns it. */
function* loadOneFlow<V>(
  dialect: Dialect,
  source: RecordSource,
  record: unknown,
  tree: LoadTree,
  name: string,
): Flow<V> {
  yield* preloadFlow(dialect, source, [record], tree);
  return internals.related(record as RecordBase)!.get(name) as V;
}

/**
 * The class `model(schema)` returns below `Base` (a base's static side) with instances `I`: extend it
 * to add methods.
 */
export type RecordClass<Base, I, C extends ColumnMap, R extends RelationTypes = EmptyRelations> =
  & Omit<Base, "prototype" | "schema">
  & {
    /** Makes a new, unsaved record. */
    new (attributes?: Attributes<C>): I & Fields<C>;
    /** The instance prototype. */
    readonly prototype: I & Fields<C>;
    /** The schema, with its relations. */
    readonly schema: Schema<C, R>;
  };

/** The relations of a model class's schema. */
// deno-lint-ignore no-explicit-any
export type RelationsOfModel<C> = C extends { readonly schema: Schema<any, infer R> } ? R : EmptyRelations;

/**
 * The base a mixin extends to add methods to both the sync and the async model of a schema.
 *
 * @example
 * ```ts
 * function withLabel<B extends ModelBase<typeof users.columns>>(Base: B) {
 *   abstract class Labelled extends Base {
 *     get label(): string { return `${this.name} <${this.email}>`; }
 *   }
 *   return Labelled;
 * }
 * class User extends withLabel(ActiveRecord.model(users)) {}
 * class AsyncUser extends withLabel(AsyncActiveRecord.model(users)) {}
 * ```
 */
// deno-lint-ignore no-explicit-any
export type ModelBase<C extends ColumnMap> = abstract new (...args: any[]) => Model<Mode> & Fields<C>;

/**
 * The shared base of `ActiveRecord` and `AsyncActiveRecord`. Not used directly: extend
 * `ActiveRecord.model(schema)` or `AsyncActiveRecord.model(schema)`.
 *
 * @example
 * ```ts
 * class User extends ActiveRecord.model(users) {}
 * const u = new User({ name: "Ann" });
 * u instanceof Model; // true
 * ```
 */
export abstract class Model<M extends Mode = Mode> extends RecordBase<M> {
  // Hooks: define any of these methods on a model to run code around its writes. In an async model
  // they may be async. They run in the write's transaction; one that throws aborts the write.

  /**
   * Hook: before a save's validation (normalise values here: what it sets is validated and written).
   *
   * @example
   * ```ts
   * class User extends ActiveRecord.model(users) {
   *   override beforeValidate() { this.email = this.email.trim().toLowerCase(); }
   * }
   * ```
   */
  beforeValidate?(): HookResult<M>;
  /** Hook: after a save's validation passed. */
  afterValidate?(): HookResult<M>;
  /** Hook: before the INSERT or UPDATE of a save (what it sets is written). */
  beforeSave?(): HookResult<M>;
  /** Hook: before the INSERT of a new record, after `beforeSave`. */
  beforeCreate?(): HookResult<M>;
  /** Hook: before the UPDATE of a stored record, after `beforeSave`. */
  beforeUpdate?(): HookResult<M>;
  /** Hook: after the INSERT of a new record (its key is set). */
  afterCreate?(): HookResult<M>;
  /** Hook: after the UPDATE of a stored record. */
  afterUpdate?(): HookResult<M>;
  /** Hook: after the INSERT or UPDATE of a save, after `afterCreate` / `afterUpdate`. */
  afterSave?(): HookResult<M>;
  /** Hook: before the DELETE of a record (or the UPDATE of a soft delete). */
  beforeDelete?(): HookResult<M>;
  /** Hook: after the DELETE of a record. */
  afterDelete?(): HookResult<M>;
  /**
   * Hook: once the outermost transaction that wrote the record committed (once per record and
   * transaction; not at a savepoint). The place for side effects outside the database.
   *
   * @example
   * ```ts
   * class Order extends ActiveRecord.model(orders) {
   *   override afterCommit() { mail(this); }
   * }
   * ```
   */
  afterCommit?(): HookResult<M>;
  /** Hook: when the transaction (or savepoint) that wrote the record rolled back. */
  afterRollback?(): HookResult<M>;

  /**
   * Inserts a new record or updates the changed columns of a stored one, after validation. An
   * invalid record throws `ValidationError` and writes nothing.
   *
   * @example
   * ```ts
   * const u = new User({ name: "Ann", email: "ann@example.com" });
   * u.save();          // INSERT; u.id is set
   * u.name = "Annie";
   * u.save();          // UPDATE users SET name = ? WHERE id = ?
   * ```
   */
  save(): Out<M, this> {
    return save(this, this.constructor as ModelClass) as Out<M, this>;
  }

  /**
   * Deletes the record's row; returns whether a row was deleted. With `softDelete()` columns it sets
   * `deletedAt` instead, unless `{ force: true }`. A deleted record can be neither saved nor deleted
   * again.
   *
   * @example
   * ```ts
   * u.delete(); // true
   * post.delete({ force: true }); // removes the row even with soft deletes
   * ```
   */
  delete(options: DeleteOptions = {}): Out<M, boolean> {
    const cls = this.constructor as ModelClass;
    return run(cls, deleteFlow(this, cls, options)) as Out<M, boolean>;
  }

  /**
   * Sets `updatedAt` (of `timestamps()`) to now and writes only it, without validation or hooks.
   *
   * @example
   * ```ts
   * post.touch(); // UPDATE posts SET updated_at = ? WHERE id = ?
   * ```
   */
  touch(): Out<M, void> {
    const cls = this.constructor as ModelClass;
    return run(cls, touchFlow(this, cls)) as Out<M, void>;
  }

  /**
   * Undoes a soft delete (of `softDelete()`): clears `deletedAt`, so that reads see the record again.
   *
   * @example
   * ```ts
   * post.delete();
   * post.restore();
   * ```
   */
  restore(): Out<M, void> {
    const cls = this.constructor as ModelClass;
    return run(cls, restoreFlow(this, cls)) as Out<M, void>;
  }

  /**
   * Checks the record without writing (with its `beforeValidate` and `afterValidate` hooks): messages
   * per field, empty when valid. Custom checks may be async in an async model.
   *
   * @example
   * ```ts
   * new User({ name: "x".repeat(500) }).validate(); // { name: ["is too long (maximum is 100 characters)"], ... }
   * await new AsyncUser({ name: "Ann" }).validate(); // { email: ["is required"] }
   * ```
   */
  validate(): Out<M, ValidationErrors> {
    const cls = this.constructor as ModelClass;
    return run(cls, validateRecordFlow(this, cls)) as Out<M, ValidationErrors>;
  }

  /**
   * Reloads the record from its row, dropping unsaved changes; `RecordNotFoundError` if it is gone.
   *
   * @example
   * ```ts
   * u.refresh();
   * ```
   */
  refresh(): Out<M, this> {
    return run(this.constructor as ModelClass, refreshFlow(this, this.constructor as ModelClass)) as Out<
      M,
      this
    >;
  }

  /**
   * Loads one relation of this record, now (a value in sync mode, a Promise in async mode); it stays
   * loaded, so the relation's property reads it afterwards.
   *
   * @example
   * ```ts
   * const author = post.load("author"); // post.author is loaded too
   * const comments = await asyncPost.load("comments");
   * ```
   */
  load<V = unknown>(relation: string): Out<M, V> {
    const cls = this.constructor as ModelClass;
    const source = sourceOf(cls);
    const tree = withPath(NO_LOADS, source.schema, relation, cls.name);
    if (tree.values().next().value!.children.size) {
      throw new ArgumentError(
        `load() takes one relation name, not a path: load("${relation.split(".")[0]}")`,
      );
    }
    const engine = engineOf(cls);
    return engine.run(loadOneFlow<V>(engine.dialect, source, this, tree, relation)) as Out<M, V>;
  }

  /**
   * Binds the model (and, on a base class, every model below it) to a backend or a URL (without an
   * argument: the `DATABASE_URL` environment variable). A sync model on an async-only backend is a
   * `ConfigurationError` here. Async models check that the database answers.
   *
   * @example
   * ```ts
   * User.configure(new SQLiteBackend(":memory:"));
   * await AsyncUser.configure("postgres://postgres@127.0.0.1:5432/app");
   * ```
   */
  static configure<C extends { readonly mode: Mode }>(
    this: C,
    target?: Backend | string,
  ): Out<ModeOf<C>, void> {
    const engine = bind(this as unknown as ModelClass, target);
    if (engine.mode === "sync") return undefined as Out<ModeOf<C>, void>;
    return engine.run(pingFlow()) as Out<ModeOf<C>, void>;
  }

  /** The backend this model is bound to; `ConfigurationError` before `configure`. */
  static get backend(): Backend {
    return backendOf(this as unknown as ModelClass);
  }

  /** The table name. */
  static get tableName(): string {
    return requireSchema(this as unknown as ModelClass).table;
  }

  /**
   * Subscribes `listener` to a lifecycle event of this model and its subclasses (not its bases):
   * it runs after the hook method of that event, in the write's transaction. Returns the function
   * that unsubscribes it.
   *
   * @example
   * ```ts
   * const stop = User.on("afterCreate", (user) => console.log(`welcome, ${user.name}`));
   * stop();
   * ```
   */
  static on<C extends ModelClass>(
    this: C,
    event: LifecycleEvent,
    listener: LifecycleListener<InstanceOf<C>, ModeOf<C>>,
  ): () => void {
    return subscribe(this, event, listener);
  }

  /**
   * Starts a query.
   *
   * @example
   * ```ts
   * User.query().where({ isActive: true }).orderBy("name").limit(10).all();
   * ```
   */
  static query<C extends ModelClass>(
    this: C,
  ): ActiveQuery<ModeOf<C>, InstanceOf<C>, ColumnsOf<C>, RelationsOfModel<C>, Model<ModeOf<C>>> {
    return new ActiveQuery(sourceOf(this));
  }

  /**
   * Adds a default scope: a condition every read of this model (and its subclasses) carries:
   * queries, finders, `refresh`, aggregates, relations and `whereHas`, and `updateAll` /
   * `deleteAll`. `unscoped()` lifts it. The function is called each time a statement is built, so
   * it may depend on the moment (the current tenant).
   *
   * @example
   * ```ts
   * Post.defaultScope((q) => q.where({ published: true }));
   * Post.query().count();            // published posts
   * Post.unscoped().count();         // every post
   * ```
   */
  static defaultScope<C extends ModelClass>(
    this: C,
    scope: (
      query: ActiveQuery<ModeOf<C>, InstanceOf<C>, ColumnsOf<C>, RelationsOfModel<C>, Model<ModeOf<C>>>,
    ) => ActiveQuery<ModeOf<C>, unknown, ColumnMap, RelationTypes, Model<ModeOf<C>>>,
  ): void {
    requireScopeFunction(scope, this.name);
    const what = `${this.name}.defaultScope()`;
    const start = () => new ActiveQuery(sourceOf(this)).unscoped();
    addDefaultScope(this, () => scopeConditionOf(scope(start() as never), what));
  }

  /**
   * A query without the model's default scopes (soft deletes' included).
   *
   * @example
   * ```ts
   * Post.unscoped().where({ userId: 1 }).all(); // drafts and deleted posts too
   * ```
   */
  static unscoped<C extends ModelClass>(
    this: C,
  ): ActiveQuery<ModeOf<C>, InstanceOf<C>, ColumnsOf<C>, RelationsOfModel<C>, Model<ModeOf<C>>> {
    return new ActiveQuery(sourceOf(this)).unscoped() as never;
  }

  /**
   * Loads relations onto records already in hand, one query per relation and level.
   *
   * @example
   * ```ts
   * const posts = Post.findAll({ published: true });
   * Post.preload(posts, "author", "comments.author");
   * ```
   */
  static preload<C extends ModelClass, P extends RelationPath<RelationsOfModel<C>>>(
    this: C,
    records: readonly InstanceOf<C>[],
    ...relations: P[]
  ): Out<ModeOf<C>, void> {
    if (!Array.isArray(records)) throw new ArgumentError("preload expects an array of records");
    const source = sourceOf(this);
    let tree: LoadTree = NO_LOADS;
    for (const path of relations) tree = withPath(tree, source.schema, path, this.name);
    const engine = engineOf(this);
    return engine.run(preloadFlow(engine.dialect, source, records, tree)) as Out<ModeOf<C>, void>;
  }

  /**
   * Finds one record by primary key, or by conditions; undefined when none matches.
   *
   * @example
   * ```ts
   * User.findOne(1);
   * User.findOne({ email: "ann@example.com" });
   * ```
   */
  static findOne<C extends ModelClass>(
    this: C,
    keyOrConditions: Key | WhereInput<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C> | undefined> {
    return findOne(this, keyOrConditions, false) as Out<ModeOf<C>, InstanceOf<C> | undefined>;
  }

  /**
   * Like `findOne`, but throws `RecordNotFoundError` when none matches.
   *
   * @example
   * ```ts
   * const u = User.findOneOrFail(1);
   * ```
   */
  static findOneOrFail<C extends ModelClass>(
    this: C,
    keyOrConditions: Key | WhereInput<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C>> {
    return findOne(this, keyOrConditions, true) as Out<ModeOf<C>, InstanceOf<C>>;
  }

  /**
   * Finds records: all of them, by conditions, by a list of keys, or by SQL with `?` parameters.
   *
   * @example
   * ```ts
   * User.findAll();
   * User.findAll({ isActive: true });
   * User.findAll([1, 2, 3]);
   * User.findAll("age > ?", [30]);
   * ```
   */
  static findAll<C extends ModelClass>(
    this: C,
    conditions?: WhereInput<ColumnsOf<C>> | readonly Key[] | Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, InstanceOf<C>[]> {
    return run(this, findAllFlow(this, conditions, params)) as Out<ModeOf<C>, InstanceOf<C>[]>;
  }

  /**
   * Loads records from a whole SQL query; columns that are not fields stay readable with `attribute()`.
   *
   * @example
   * ```ts
   * User.findBySql("select * from users where email like ?", ["%@example.com"]);
   * ```
   */
  static findBySql<C extends ModelClass>(
    this: C,
    statement: Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, InstanceOf<C>[]> {
    return run(this, findBySqlFlow(this, statement, params)) as Out<ModeOf<C>, InstanceOf<C>[]>;
  }

  /**
   * Makes and saves a record.
   *
   * @example
   * ```ts
   * const u = User.create({ name: "Ann", email: "ann@example.com" });
   * ```
   */
  static create<C extends ModelClass>(
    this: C,
    attributes: CreateAttributes<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C>> {
    const record = new (this as unknown as new (a: unknown) => Model<Mode>)(attributes);
    return save(record, this) as Out<ModeOf<C>, InstanceOf<C>>;
  }

  /**
   * Inserts many rows in multi-row statements, all or nothing: every row is validated first, and
   * the inserts run in one transaction (a savepoint when inside one). Returns the count inserted.
   * Per-record hooks and listeners do not run (timestamps are set).
   *
   * @example
   * ```ts
   * User.insertMany([{ name: "A", email: "a@x.io" }, { name: "B", email: "b@x.io" }]); // 2
   * ```
   */
  static insertMany<C extends ModelClass>(
    this: C,
    rows: readonly CreateAttributes<ColumnsOf<C>>[],
  ): Out<ModeOf<C>, number> {
    return run(this, insertManyFlow(this, rows as readonly Record<string, unknown>[])) as Out<
      ModeOf<C>,
      number
    >;
  }

  /**
   * Updates every row matching `conditions` (and the default scopes; all rows without them);
   * returns the count changed. Values are validated first. Per-record hooks do not run, and
   * `updatedAt` and a lock version are left alone.
   *
   * @example
   * ```ts
   * User.updateAll({ isActive: false }, { name: "Ann" });
   * User.updateAll({ isActive: false }, "last_login < ?", [cutoff]);
   * ```
   */
  static updateAll<C extends ModelClass>(
    this: C,
    values: Attributes<ColumnsOf<C>>,
    conditions?: WhereInput<ColumnsOf<C>> | Statement,
    params?: readonly unknown[],
  ): Out<ModeOf<C>, number> {
    return updateAll(this, values as Record<string, unknown>, conditions, params) as Out<
      ModeOf<C>,
      number
    >;
  }

  /**
   * Deletes every row matching `conditions` (and the default scopes); returns the count deleted.
   * Without conditions it deletes every row. With `softDelete()` columns it sets `deletedAt`
   * instead, unless `{ force: true }` (which removes soft-deleted rows too). No hooks run.
   *
   * @example
   * ```ts
   * User.deleteAll({ isActive: false });
   * Post.deleteAll({ userId: 7 }, { force: true });
   * ```
   */
  static deleteAll<C extends ModelClass>(
    this: C,
    conditions?: WhereInput<ColumnsOf<C>> | Statement,
    paramsOrOptions?: readonly unknown[] | DeleteAllOptions,
    options?: DeleteAllOptions,
  ): Out<ModeOf<C>, number> {
    const params = Array.isArray(paramsOrOptions) ? paramsOrOptions : undefined;
    const chosen = Array.isArray(paramsOrOptions) ? options : paramsOrOptions as DeleteAllOptions | undefined;
    return run(this, deleteAllFlow(this, conditions, params, chosen)) as Out<ModeOf<C>, number>;
  }

  /**
   * Inserts a record, or updates the row that has the same `conflict` columns; returns the stored
   * record. Per-record hooks do not run; an update keeps the row's `createdAt` and lock version.
   *
   * @example
   * ```ts
   * User.upsert({ email: "ann@example.com", name: "Ann" }, { conflict: ["email"] });
   * ```
   */
  static upsert<C extends ModelClass>(
    this: C,
    attributes: CreateAttributes<ColumnsOf<C>>,
    options: UpsertOptions<ColumnsOf<C>>,
  ): Out<ModeOf<C>, InstanceOf<C>> {
    const record = new (this as unknown as new (a: unknown) => Model<Mode>)(attributes);
    return run(this, upsertFlow(record, this, options as UpsertOptions<ColumnMap>)) as Out<
      ModeOf<C>,
      InstanceOf<C>
    >;
  }

  /**
   * Runs `fn` in a transaction: commits when it returns, rolls back and rethrows when it throws.
   * Nested calls use savepoints. Queries through any model on the same backend join it.
   *
   * @example
   * ```ts
   * User.transaction((tx) => {
   *   User.create({ name: "A", email: "a@x.io" });
   *   User.transaction(() => { throw new Error("only the savepoint is rolled back"); });
   * }, { behavior: "immediate" });
   * ```
   */
  static transaction<C extends ModelClass, R>(
    this: C,
    fn: TransactionCallback<ModeOf<C>, R>,
    options: TransactionOptions = {},
  ): Out<ModeOf<C>, R> {
    return runTransaction(engineOf(this) as Engine<ModeOf<C>>, fn, options);
  }

  /**
   * Opens a transaction and returns its handle; it rolls back when disposed unless committed.
   *
   * @example
   * ```ts
   * using tx = User.begin();
   * User.create({ name: "A", email: "a@x.io" });
   * tx.commit();
   * ```
   */
  static begin<C extends ModelClass>(
    this: C,
    options: TransactionOptions = {},
  ): Out<ModeOf<C>, Transaction<ModeOf<C>>> {
    return beginTransaction(engineOf(this) as Engine<ModeOf<C>>, options);
  }

  /**
   * Creates the model's table from its schema.
   *
   * @example
   * ```ts
   * User.createTable({ ifNotExists: true });
   * ```
   */
  static createTable<C extends ModelClass>(this: C, options: CreateTableOptions = {}): Out<ModeOf<C>, void> {
    return run(this, createTableFlow(requireSchema(this), engineOf(this).dialect, options)) as Out<
      ModeOf<C>,
      void
    >;
  }

  /**
   * Drops the model's table.
   *
   * @example
   * ```ts
   * User.dropTable({ ifExists: true });
   * ```
   */
  static dropTable<C extends ModelClass>(this: C, options: DropTableOptions = {}): Out<ModeOf<C>, void> {
    return run(this, dropTableFlow(requireSchema(this), engineOf(this).dialect, options)) as Out<
      ModeOf<C>,
      void
    >;
  }
}
