/**
 * ActiveQuery: an immutable query builder over a model, with terminals that answer in the model's
 * mode (values for `ActiveRecord`, Promises for `AsyncActiveRecord`).
 * @module
 */
import type { Statement } from "../run/statement.ts";
import { ArgumentError, RecordNotFoundError } from "../errors.ts";
import type { Mode, Out } from "../mode.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type {
  ColumnMap,
  EmptyRelations,
  FieldInfo,
  Key,
  RelationType,
  RelationTypes,
  ValueOf,
} from "../schema/schema.ts";
import { countSubquery, existsCondition, joinClauses, relationNames } from "../relation/sql.ts";
import { type LoadConstraint, relationNamed, withPath } from "../relation/tree.ts";
import type {
  Counted,
  Loaded,
  RelatedRecord,
  RelationPath,
  SchemaColumns,
  SchemaRelations,
} from "./loaded.ts";
import type { Flow } from "../run/request.ts";
import { Identifier, SqlFragment, type SqlPart } from "../sql/fragment.ts";
import { assertPlainName, parseOrderTerm, parseSelectTerm } from "../sql/identifier.ts";
import type { CompiledQuery } from "../sql/writer.ts";
import { compileSelect, scopedWhere } from "./compile.ts";
import { scopeCondition, SOFT_DELETE } from "../relation/source.ts";
import {
  asyncEach,
  asyncRecords,
  batchSizeOf,
  type IterateOptions,
  syncEach,
  syncRecords,
} from "./iterate.ts";
import type { Engine } from "../run/engine.ts";
import type { QuerySource } from "./source.ts";
import { combine, condition, inList, isPlainObject, type WhereInput } from "./conditions.ts";
import {
  type AggregateFunction,
  checkCount,
  type ColumnRef,
  initialState,
  type QueryState,
  resolveColumn,
} from "./state.ts";
import {
  aggregateFlow,
  allFlow,
  existsFlow,
  firstFlow,
  type Page,
  paginateFlow,
  pluckFlow,
  scalarFlow,
} from "./terminals.ts";

/** A column name of the model (property or column name, `table.column`), or a `sql` fragment. */
export type ColumnInput<C extends ColumnMap> =
  | (keyof C & string)
  | (string & Record<never, never>)
  | SqlFragment;

/** What `sum()` returns for a column of value type `V`: decimal strings stay strings. */
export type SumOf<V> = NonNullable<V> extends string ? string : number;

/** What `iterate()` gives: records for `for` in sync mode, for `for await` in async mode. */
export type Records<M extends Mode, T> = M extends "async" ? AsyncGenerator<T> : Generator<T>;

/** A sort direction. */
export type Direction = "asc" | "desc" | "ASC" | "DESC";

/**
 * The conditions a default-scope function added to the query it was given (not exported from the
 * package: the model layer turns `defaultScope` functions into conditions with it). Anything but
 * conditions is an `ArgumentError`.
 */
export let scopeConditionOf: (query: unknown, what: string) => SqlFragment | undefined;

/**
 * A query over a model. Every builder method returns a new query; terminals run it.
 *
 * @example
 * ```ts
 * const base = User.query().where({ isActive: true });
 * const page = base.orderBy("name").limit(10).offset(20).all();
 * const n = base.count();
 * const stats = Employee.query().groupBy("department")
 *   .count("id", "employee_count").avg("salary", "avg_salary").aggregate();
 * ```
 */
export class ActiveQuery<
  M extends Mode,
  T,
  C extends ColumnMap = ColumnMap,
  R extends RelationTypes = EmptyRelations,
  B = unknown,
> {
  readonly #state: QueryState;

  static {
    scopeConditionOf = (query, what) => {
      if (!(query instanceof ActiveQuery)) {
        throw new ArgumentError(`${what}: the function must return the query it was given, narrowed`);
      }
      const state = query.#state;
      const extra = state.joins.length || state.selects || state.groups.length || state.having ||
        state.aggregates.length || state.distinct || state.lock || state.extras.length ||
        state.orders.length ||
        state.limit !== undefined || state.offset !== undefined || state.include.size;
      if (extra) throw new ArgumentError(`${what}: the function may only add conditions (where)`);
      return state.where; // its own conditions: the scopes it started with are the ones being built
    };
  }

  /** Starts a query on `source`; use `Model.query()`. */
  constructor(source: QuerySource, state?: QueryState) {
    this.#state = state ?? initialState(source);
  }

  #with(changes: Partial<QueryState>): ActiveQuery<M, T, C, R, B> {
    return new ActiveQuery<M, T, C, R, B>(this.#state.source, { ...this.#state, ...changes });
  }

  #column(column: ColumnInput<C>, where: string): ColumnRef {
    if (column instanceof SqlFragment) return { sql: column, name: "value" };
    return resolveColumn(this.#state, column, where);
  }

  #run<R>(flow: (dialect: Dialect) => Flow<R>): Out<M, R> {
    const engine = this.#state.source.engine();
    return engine.run(flow(engine.dialect)) as Out<M, R>;
  }

  /**
   * Adds a condition (AND): an object of fields, SQL text with `?` placeholders, or a `sql` fragment.
   *
   * @example
   * ```ts
   * User.query().where({ isActive: true, role: ["admin", "editor"] });
   * User.query().where("age > ? and name like ?", [30, "J%"]);
   * User.query().where(sql`created_at > ${since}`);
   * ```
   */
  where(conditions: WhereInput<C> | Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    const added = condition(this.#state.schema, conditions as Statement, params, "where");
    return this.#with({ where: combine(this.#state.where, added, "AND") });
  }

  /**
   * Adds an alternative (OR) to everything before it: `(a AND b) OR c`.
   *
   * @example
   * ```ts
   * User.query().where({ role: "admin" }).orWhere("age > ?", [65]);
   * ```
   */
  orWhere(conditions: WhereInput<C> | Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    const added = condition(this.#state.schema, conditions as Statement, params, "orWhere");
    return this.#with({ where: combine(this.#state.where, added, "OR") });
  }

  #inCondition(column: string, values: readonly unknown[], negate: boolean, where: string): SqlFragment {
    return inList(this.#state.schema, resolveColumn(this.#state, column, where), values, where, negate);
  }

  /**
   * Adds `column IN (values)`; an empty list matches nothing.
   *
   * @example
   * ```ts
   * User.query().whereIn("id", [1, 2, 3]).all();
   * ```
   */
  whereIn(column: ColumnInput<C> & string, values: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    const added = this.#inCondition(column, values, false, "whereIn");
    return this.#with({ where: combine(this.#state.where, added, "AND") });
  }

  /**
   * Adds `column NOT IN (values)`; an empty list matches everything.
   *
   * @example
   * ```ts
   * User.query().whereNotIn("id", [1, 2]).all();
   * ```
   */
  whereNotIn(column: ColumnInput<C> & string, values: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    const added = this.#inCondition(column, values, true, "whereNotIn");
    return this.#with({ where: combine(this.#state.where, added, "AND") });
  }

  /**
   * Adds `column IS NULL`.
   *
   * @example
   * ```ts
   * User.query().whereNull("deletedAt").all();
   * ```
   */
  whereNull(column: ColumnInput<C> & string): ActiveQuery<M, T, C, R, B> {
    const ref = resolveColumn(this.#state, column, "whereNull");
    return this.#with({ where: combine(this.#state.where, new SqlFragment([ref.sql, " IS NULL"]), "AND") });
  }

  /**
   * Adds `column IS NOT NULL`.
   *
   * @example
   * ```ts
   * User.query().whereNotNull("email").all();
   * ```
   */
  whereNotNull(column: ColumnInput<C> & string): ActiveQuery<M, T, C, R, B> {
    const ref = resolveColumn(this.#state, column, "whereNotNull");
    return this.#with({
      where: combine(this.#state.where, new SqlFragment([ref.sql, " IS NOT NULL"]), "AND"),
    });
  }

  /**
   * Selects only some columns (`"name"`, `"users.email as contact"`) or expressions (`sql` fragments).
   * Records come back with just those fields; other selected values are read with `attribute()`.
   *
   * @example
   * ```ts
   * User.query().select("id", "name").all();
   * User.query().select("id", sql`length(name) as name_length`).all();
   * ```
   */
  select(...columns: ColumnInput<C>[]): ActiveQuery<M, T, C, R, B> {
    if (columns.length === 0) throw new ArgumentError("select needs at least one column");
    const refs = columns.map((column) => {
      if (column instanceof SqlFragment) return { sql: column, name: "" };
      const { name, alias } = parseSelectTerm(column);
      if (alias && name.endsWith("*")) throw new ArgumentError(`select: ${name} cannot take an alias`);
      const ref = resolveColumn(this.#state, name, "select");
      return alias ? { ...ref, name: alias, field: undefined } : ref;
    });
    return this.#with({ selects: refs });
  }

  /**
   * Returns distinct rows only.
   *
   * @example
   * ```ts
   * User.query().select("role").distinct().pluck("role");
   * ```
   */
  distinct(on = true): ActiveQuery<M, T, C, R, B> {
    return this.#with({ distinct: on });
  }

  #join(
    kind: string,
    table: string,
    on: Statement | undefined,
    params: readonly unknown[] | undefined,
  ): ActiveQuery<M, T, C, R, B> {
    if (on === undefined) return this.#joinRelation(kind, table);
    const { name, alias } = parseSelectTerm(table);
    assertPlainName(name, `${kind.toLowerCase()} table`);
    const onSql = condition(this.#state.schema, on, params, kind.toLowerCase());
    if (!onSql) throw new ArgumentError(`${kind.toLowerCase()} needs an ON condition`);
    const target: SqlPart[] = alias
      ? [new Identifier(name), " AS ", new Identifier(alias)]
      : [new Identifier(name)];
    const clause = new SqlFragment([`${kind} `, ...target, " ON ", onSql]);
    return this.#with({
      joins: [...this.#state.joins, clause],
      joined: [...this.#state.joined, alias ?? name],
    });
  }

  /** A join whose ON clause comes from a relation; its table is aliased by the relation's name only if already in the query. */
  #joinRelation(kind: string, name: string): ActiveQuery<M, T, C, R, B> {
    const { schema, source, joined } = this.#state;
    const relation = relationNamed(schema, name, source.name);
    const taken = [schema.table, ...joined];
    const aliased = taken.includes(relation.target.table) ||
      (relation.through !== undefined && taken.includes(relation.through.schema.table));
    const names = relationNames(relation, schema.table, aliased ? name : relation.target.table);
    const scope = scopeCondition(source.relatedScopes(relation.target));
    return this.#with({
      joins: [...this.#state.joins, ...joinClauses(relation, kind, names, scope)],
      joined: [...joined, names.target, ...(relation.through ? [names.through] : [])],
    });
  }

  /**
   * Adds `INNER JOIN`: of a table on a condition (the table may be aliased, `"users as author"`), or
   * of a relation, whose ON clause it knows (`join("author")`; the joined table keeps its table name,
   * or takes the relation's name when the table is in the query already).
   *
   * @example
   * ```ts
   * Post.query().join("users", "users.id = posts.user_id").where("users.name = ?", ["Ann"]).all();
   * Post.query().join("author").where("users.name = ?", ["Ann"]).all();
   * ```
   */
  join(relation: RelationName<R>): ActiveQuery<M, T, C, R, B>;
  /** Adds `INNER JOIN table ON condition`. */
  join(table: string, on: Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B>;
  join(table: string, on?: Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    return this.#join("INNER JOIN", table, on, params);
  }

  /**
   * Adds `LEFT JOIN`, of a table on a condition or of a relation (see `join`).
   *
   * @example
   * ```ts
   * User.query().leftJoin("posts", "posts.user_id = users.id").whereNull("posts.id").all();
   * User.query().leftJoin("posts").whereNull("posts.id").all(); // users without posts
   * ```
   */
  leftJoin(relation: RelationName<R>): ActiveQuery<M, T, C, R, B>;
  /** Adds `LEFT JOIN table ON condition`. */
  leftJoin(table: string, on: Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B>;
  leftJoin(table: string, on?: Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    return this.#join("LEFT JOIN", table, on, params);
  }

  /**
   * Adds `RIGHT JOIN table ON condition`.
   *
   * @example
   * ```ts
   * Post.query().rightJoin("users", "users.id = posts.user_id").all();
   * ```
   */
  rightJoin(table: string, on: Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    return this.#join("RIGHT JOIN", table, on, params);
  }

  /**
   * Loads relations with the records, one query per relation and level (never one per record):
   * names and dotted paths (`"comments.author"`), or loaders that narrow what is loaded, per parent
   * (`{ comments: (q) => q.where({ approved: true }).orderBy("id").limit(3) }`). The result type
   * gains the loaded relations. Works with every terminal, `iterate()` and `each()` included.
   *
   * @example
   * ```ts
   * const posts = Post.query().with("author", "comments.author").all();
   * posts[0].author?.name;
   * Post.query().with({ comments: (q) => q.where({ approved: true }).orderBy("id").limit(3) }).all();
   * ```
   */
  with<P extends RelationPath<R>>(...relations: P[]): ActiveQuery<M, T & Loaded<B, R, P>, C, R, B>;
  /** Loads relations narrowed by loaders, by relation name. */
  with<S extends Loaders<M, R, B>>(loaders: S): ActiveQuery<M, T & Loaded<B, R, keyof S & string>, C, R, B>;
  with(...specs: unknown[]): ActiveQuery<M, unknown, C, R, B> {
    const { schema, source } = this.#state;
    let include = this.#state.include;
    for (const spec of specs) {
      if (typeof spec === "string") {
        include = withPath(include, schema, spec, source.name);
      } else if (isPlainObject(spec)) {
        for (const [path, loader] of Object.entries(spec)) {
          const query = this.#relatedQuery(path, loader, "with");
          include = withPath(
            include,
            schema,
            path,
            source.name,
            constraintOf(query.#state, path),
            query.#state.include,
          );
        }
      } else {
        throw new ArgumentError(
          'with() expects relation names ("author", "comments.author") or { relation: (q) => q... }',
        );
      }
    }
    return new ActiveQuery<M, unknown, C, R, B>(source, { ...this.#state, include });
  }

  /** The query `loader` makes from a query on the target of relation `path`; anything else is an `ArgumentError`. */
  #relatedQuery(path: string, loader: unknown, where: string): ActiveQuery<Mode, unknown> {
    const { schema, source } = this.#state;
    let target = schema;
    for (const name of path.split(".")) target = relationNamed(target, name, source.name).target;
    if (typeof loader !== "function") {
      throw new ArgumentError(`${where}(): the value for "${path}" must be a function (q) => q.where(...)`);
    }
    const query = loader(new ActiveQuery(source.related(target)));
    if (!(query instanceof ActiveQuery)) {
      throw new ArgumentError(
        `${where}(): the function for "${path}" must return the query it was given, narrowed`,
      );
    }
    return query;
  }

  /**
   * Keeps the records that have at least one related row (matching `narrow`, when given), as an
   * `EXISTS` subquery.
   *
   * @example
   * ```ts
   * User.query().whereHas("posts", (q) => q.where({ published: true })).all();
   * ```
   */
  whereHas<K extends RelationName<R>>(
    relation: K,
    narrow?: (query: RelatedQuery<M, R, K, B>) => ActiveQuery<M, unknown, ColumnMap, RelationTypes, B>,
  ): ActiveQuery<M, T, C, R, B> {
    const { schema, source } = this.#state;
    const found = relationNamed(schema, relation, source.name);
    // The related rows count with their default scopes (a narrowing query carries them, or lifts them).
    let narrowed: SqlFragment | undefined;
    if (narrow !== undefined) {
      const query = this.#relatedQuery(relation, narrow, "whereHas");
      narrowed = conditionOnly(query.#state, relation);
    } else {
      narrowed = scopeCondition(source.relatedScopes(found.target));
    }
    const names = relationNames(found, schema.table, `${relation}_related`);
    return this.#with({ where: combine(this.#state.where, existsCondition(found, names, narrowed), "AND") });
  }

  /**
   * Adds the number of related rows of each relation as a property: `withCount("posts")` gives every
   * record a `postsCount` (a correlated `COUNT`, read as a number on every backend).
   *
   * @example
   * ```ts
   * const [ann] = User.query().withCount("posts").orderBy("name").all();
   * ann.postsCount; // 2
   * ```
   */
  withCount<K extends RelationName<R>>(...relations: K[]): ActiveQuery<M, T & Counted<K>, C, R, B> {
    const { schema, source } = this.#state;
    const extras = relations.map((name) => {
      const relation = relationNamed(schema, name, source.name);
      const names = relationNames(relation, schema.table, `${name}_counted`);
      const scope = scopeCondition(source.relatedScopes(relation.target));
      return { sql: countSubquery(relation, names, scope), name: `${name}Count` };
    });
    return new ActiveQuery<M, T & Counted<K>, C, R, B>(source, {
      ...this.#state,
      extras: [...this.#state.extras, ...extras],
    });
  }

  /**
   * Groups rows; use with `.count/.sum/.avg/.min/.max(column, alias)` and `aggregate()`.
   *
   * @example
   * ```ts
   * Employee.query().groupBy("department").count("id", "n").aggregate();
   * ```
   */
  groupBy(...columns: ColumnInput<C>[]): ActiveQuery<M, T, C, R, B> {
    const refs = columns.map((column) => this.#column(column, "groupBy"));
    return this.#with({ groups: [...this.#state.groups, ...refs] });
  }

  /**
   * Filters groups (AND with earlier `having` calls).
   *
   * @example
   * ```ts
   * Employee.query().groupBy("department").count("id", "n").having("count(id) > ?", [5]).aggregate();
   * ```
   */
  having(conditionSql: Statement, params?: readonly unknown[]): ActiveQuery<M, T, C, R, B> {
    if (typeof conditionSql !== "string" && !(conditionSql instanceof SqlFragment)) {
      throw new ArgumentError("having expects SQL text with ? placeholders or a sql`` fragment");
    }
    const added = condition(this.#state.schema, conditionSql, params, "having");
    return this.#with({ having: combine(this.#state.having, added, "AND") });
  }

  /**
   * Sorts by a column (`"name"`, `"name desc"`, `"users.created_at"`) or a `sql` fragment.
   *
   * @example
   * ```ts
   * User.query().orderBy("name").orderBy("createdAt", "desc").all();
   * ```
   */
  orderBy(column: ColumnInput<C>, direction?: Direction): ActiveQuery<M, T, C, R, B> {
    let term: SqlFragment;
    if (column instanceof SqlFragment) {
      term = direction ? new SqlFragment([column, ` ${checkDirection(direction)}`]) : column;
    } else {
      const parsed = parseOrderTerm(column);
      const ref = resolveColumn(this.#state, parsed.name, "orderBy");
      const descending = direction ? checkDirection(direction) === "DESC" : parsed.descending;
      term = new SqlFragment([ref.sql, descending ? " DESC" : " ASC"]);
    }
    return this.#with({ orders: [...this.#state.orders, term] });
  }

  /**
   * Returns at most `count` rows.
   *
   * @example
   * ```ts
   * User.query().limit(10).all();
   * ```
   */
  limit(count: number): ActiveQuery<M, T, C, R, B> {
    return this.#with({ limit: checkCount(count, "limit") });
  }

  /**
   * Skips the first `count` rows.
   *
   * @example
   * ```ts
   * User.query().orderBy("id").limit(10).offset(20).all();
   * ```
   */
  offset(count: number): ActiveQuery<M, T, C, R, B> {
    return this.#with({ offset: checkCount(count, "offset") });
  }

  /**
   * Locks the selected rows until the transaction ends (`FOR UPDATE`). SQLite has no row locks: its
   * write transactions already lock the database, so this adds nothing there.
   *
   * @example
   * ```ts
   * await AsyncAccount.transaction(async () => {
   *   const a = await AsyncAccount.query().where({ id: 1 }).forUpdate().one();
   * });
   * ```
   */
  forUpdate(): ActiveQuery<M, T, C, R, B> {
    return this.#with({ lock: true });
  }

  /**
   * Lifts the model's default scopes (its own and soft deletes'): the query reads every row.
   *
   * @example
   * ```ts
   * Post.query().unscoped().count(); // drafts and deleted posts too
   * ```
   */
  unscoped(): ActiveQuery<M, T, C, R, B> {
    return this.#with({ scopes: [] });
  }

  /**
   * Includes soft-deleted rows (of a model with `softDelete()` columns); other default scopes stay.
   *
   * @example
   * ```ts
   * Post.query().withDeleted().count(); // deleted posts too
   * ```
   */
  withDeleted(): ActiveQuery<M, T, C, R, B> {
    this.#deletedAt("withDeleted");
    return this.#with({ scopes: this.#state.scopes.filter((scope) => scope.name !== SOFT_DELETE) });
  }

  /**
   * Only soft-deleted rows (of a model with `softDelete()` columns).
   *
   * @example
   * ```ts
   * const trash = Post.query().onlyDeleted().all();
   * ```
   */
  onlyDeleted(): ActiveQuery<M, T, C, R, B> {
    const field = this.#deletedAt("onlyDeleted");
    const deleted = new SqlFragment([new Identifier(this.#state.schema.table, field.column), " IS NOT NULL"]);
    return this.#with({
      scopes: this.#state.scopes.filter((scope) => scope.name !== SOFT_DELETE),
      where: combine(this.#state.where, deleted, "AND"),
    });
  }

  /** The soft-delete column, or an `ArgumentError` naming the mixin. */
  #deletedAt(what: string): FieldInfo {
    const { schema, source } = this.#state;
    const field = schema.roles.deletedAt;
    if (!field) {
      throw new ArgumentError(
        `${what}(): ${source.name} has no soft deletes; add ...softDelete() to its schema`,
      );
    }
    return field;
  }

  /**
   * The SQL and parameters this query would run (the model must be configured).
   *
   * @example
   * ```ts
   * User.query().where({ name: "Ann" }).toSql(); // { text: 'SELECT ... WHERE "users"."name" = ?', params: ["Ann"] }
   * ```
   */
  toSql(): CompiledQuery {
    const { text, params } = compileSelect(this.#state.source.engine().dialect, this.#state);
    return { text, params: [...params] };
  }

  /**
   * Runs the query and returns every matching record.
   *
   * @example
   * ```ts
   * const users = User.query().where({ isActive: true }).all();
   * ```
   */
  all(): Out<M, T[]> {
    return this.#run((d) => allFlow<T>(d, this.#state));
  }

  /**
   * Returns one matching record (no implicit order), or undefined.
   *
   * @example
   * ```ts
   * User.query().where({ email: "ann@example.com" }).one();
   * ```
   */
  one(): Out<M, T | undefined> {
    return this.#run((d) => firstFlow<T>(d, this.#state, false));
  }

  /**
   * The record with key `key` (or matching `conditions`) among this query's, with what the query
   * loads; undefined when none matches.
   *
   * @example
   * ```ts
   * const u = await AsyncUser.query().with("posts").findOne(1); // u?.posts is loaded
   * ```
   */
  findOne(keyOrConditions: Key | WhereInput<C>): Out<M, T | undefined> {
    const state = this.#narrowedTo(keyOrConditions, "findOne");
    return this.#run((d) => firstFlow<T>(d, state, false));
  }

  /**
   * Like `findOne`, but `RecordNotFoundError` when none matches.
   *
   * @example
   * ```ts
   * const post = Post.query().with("comments").findOneOrFail(7);
   * ```
   */
  findOneOrFail(keyOrConditions: Key | WhereInput<C>): Out<M, T> {
    const state = this.#narrowedTo(keyOrConditions, "findOneOrFail");
    const { source } = this.#state;
    return this.#run((d) =>
      orFail(
        firstFlow<T>(d, state, false),
        () =>
          new RecordNotFoundError(`${source.name} not found in ${state.schema.table}`, state.schema.table),
      )
    );
  }

  /** This query's state narrowed to one key or to conditions, and to one row. */
  #narrowedTo(keyOrConditions: unknown, where: string): QueryState {
    const { schema } = this.#state;
    let added: SqlFragment | undefined;
    if (typeof keyOrConditions === "object" && keyOrConditions !== null) {
      added = condition(schema, keyOrConditions as Record<string, unknown>, undefined, where);
    } else {
      const key = schema.primaryKey;
      if (!key) {
        throw new ArgumentError(
          `${where}: ${schema.table} has no single-column key; give an object of conditions`,
        );
      }
      added = condition(schema, { [key.name]: keyOrConditions }, undefined, where);
    }
    return { ...this.#state, where: combine(this.#state.where, added, "AND"), limit: 1 };
  }

  /**
   * Returns the first record in the query's order (by primary key when none is given), or undefined.
   *
   * @example
   * ```ts
   * User.query().orderBy("createdAt", "desc").first();
   * ```
   */
  first(): Out<M, T | undefined> {
    return this.#run((d) => firstFlow<T>(d, this.#state, true));
  }

  /**
   * True when at least one row matches.
   *
   * @example
   * ```ts
   * User.query().where({ email: "ann@example.com" }).exists();
   * ```
   */
  exists(): Out<M, boolean> {
    return this.#run((d) => existsFlow(d, this.#state));
  }

  /**
   * The values of one column, typed and decoded like the field.
   *
   * @example
   * ```ts
   * const names = User.query().orderBy("name").pluck("name"); // string[]
   * ```
   */
  pluck<K extends keyof C & string>(column: K): Out<M, ValueOf<C[K]>[]>;
  /** The values of a column of a joined table or an expression. */
  pluck(column: string | SqlFragment): Out<M, unknown[]>;
  pluck(column: string | SqlFragment): Out<M, unknown[]> {
    const ref = this.#column(column as ColumnInput<C>, "pluck");
    return this.#run((d) => pluckFlow(d, this.#state, ref));
  }

  /**
   * One page of records (1-based) with the total count.
   *
   * @example
   * ```ts
   * const { items, total, pageCount } = User.query().orderBy("id").paginate(2, 20);
   * ```
   */
  paginate(page: number, perPage: number): Out<M, Page<T>> {
    if (!Number.isSafeInteger(page) || page < 1) {
      throw new ArgumentError(`page must be an integer >= 1, got ${page}`);
    }
    if (!Number.isSafeInteger(perPage) || perPage < 1) {
      throw new ArgumentError(`perPage must be an integer >= 1, got ${perPage}`);
    }
    if (!Number.isSafeInteger((page - 1) * perPage)) {
      throw new ArgumentError(`page ${page} of ${perPage} starts beyond 2^53 rows`);
    }
    return this.#run((d) => paginateFlow<T>(d, this.#state, page, perPage));
  }

  /**
   * The records one at a time, read in batches through the driver's cursor: memory stays flat
   * however many rows match. `for` in sync mode, `for await` in async mode. Stopping early closes
   * the cursor. On a server, outside a transaction, the iteration holds one pooled connection.
   *
   * @example
   * ```ts
   * for (const user of User.query().orderBy("id").iterate({ batchSize: 500 })) send(user);
   * for await (const user of AsyncUser.query().iterate()) await send(user);
   * ```
   */
  iterate(options?: IterateOptions): Records<M, T> {
    const batchSize = batchSizeOf(options);
    const engine = this.#state.source.engine();
    return (engine.mode === "sync"
      ? syncRecords<T>(engine as Engine<"sync">, this.#state, batchSize)
      : asyncRecords<T>(engine as Engine<"async">, this.#state, batchSize)) as Records<M, T>;
  }

  /**
   * Calls `fn` for each record, read in batches (see `iterate`); returns how many there were. In
   * async mode `fn` may be async and is awaited one record at a time.
   *
   * @example
   * ```ts
   * User.query().where({ isActive: true }).each((user) => mail(user), { batchSize: 200 });
   * ```
   */
  each(fn: (record: T) => unknown, options?: IterateOptions): Out<M, number> {
    if (typeof fn !== "function") throw new ArgumentError("each() expects a function");
    const records = this.iterate(options);
    return (Symbol.asyncIterator in records
      ? asyncEach(records as AsyncIterable<T>, fn)
      : syncEach(records as Iterable<T>, fn)) as Out<M, number>;
  }

  #aggregate(
    fn: AggregateFunction,
    column: ColumnInput<C> | undefined,
    alias: string,
  ): ActiveQuery<M, T, C, R, B> {
    assertPlainName(alias, `${fn.toLowerCase()} alias`);
    const ref = column === undefined || column === "*" ? undefined : this.#column(column, fn.toLowerCase());
    return this.#with({ aggregates: [...this.#state.aggregates, { fn, column: ref, alias }] });
  }

  #scalar(fn: AggregateFunction, column: ColumnInput<C> | undefined): Out<M, unknown> {
    const ref = column === undefined || column === "*" ? undefined : this.#column(column, fn.toLowerCase());
    return this.#run((d) => scalarFlow(d, this.#state, fn, ref));
  }

  /**
   * The number of matching rows (of non-null `column` values); with an alias, adds `COUNT` to a
   * grouped query for `aggregate()`.
   *
   * @example
   * ```ts
   * User.query().where({ isActive: true }).count(); // 42
   * Employee.query().groupBy("department").count("id", "employee_count").aggregate();
   * ```
   */
  count(column?: ColumnInput<C>): Out<M, number>;
  /** Adds `COUNT(column) AS alias` to a grouped query. */
  count(column: ColumnInput<C>, alias: string): ActiveQuery<M, T, C, R, B>;
  count(column?: ColumnInput<C>, alias?: string): Out<M, number> | ActiveQuery<M, T, C, R, B> {
    if (alias !== undefined) return this.#aggregate("COUNT", column, alias);
    return this.#scalar("COUNT", column) as Out<M, number>;
  }

  /**
   * The sum of a column (null when no row matches); with an alias, an aggregate of a grouped query.
   * The sum of a decimal column is a decimal string at the column's scale, like its values.
   *
   * @example
   * ```ts
   * Order.query().sum("total"); // "1234.50" for a decimal(10, 2) column
   * Order.query().sum("quantity"); // 17 for an integer column
   * ```
   */
  sum<K extends keyof C & string>(column: K): Out<M, SumOf<ValueOf<C[K]>> | null>;
  /** The sum of a column of a joined table or an expression, as a number. */
  sum(column: ColumnInput<C>): Out<M, number | null>;
  /** Adds `SUM(column) AS alias` to a grouped query. */
  sum(column: ColumnInput<C>, alias: string): ActiveQuery<M, T, C, R, B>;
  sum(column: ColumnInput<C>, alias?: string): Out<M, unknown> | ActiveQuery<M, T, C, R, B> {
    if (alias !== undefined) return this.#aggregate("SUM", column, alias);
    return this.#scalar("SUM", column);
  }

  /**
   * The average of a column (null when no row matches); with an alias, an aggregate of a grouped query.
   *
   * @example
   * ```ts
   * Employee.query().avg("salary");
   * ```
   */
  avg(column: ColumnInput<C>): Out<M, number | null>;
  /** Adds `AVG(column) AS alias` to a grouped query. */
  avg(column: ColumnInput<C>, alias: string): ActiveQuery<M, T, C, R, B>;
  avg(column: ColumnInput<C>, alias?: string): Out<M, number | null> | ActiveQuery<M, T, C, R, B> {
    if (alias !== undefined) return this.#aggregate("AVG", column, alias);
    return this.#scalar("AVG", column) as Out<M, number | null>;
  }

  /**
   * The smallest value of a column, typed like the field (null when no row matches).
   *
   * @example
   * ```ts
   * Employee.query().min("hireDate"); // a date string
   * ```
   */
  min<K extends keyof C & string>(column: K): Out<M, ValueOf<C[K]> | null>;
  /** The smallest value of a column of a joined table or an expression. */
  min(column: ColumnInput<C>): Out<M, unknown>;
  /** Adds `MIN(column) AS alias` to a grouped query. */
  min(column: ColumnInput<C>, alias: string): ActiveQuery<M, T, C, R, B>;
  min(column: ColumnInput<C>, alias?: string): Out<M, unknown> | ActiveQuery<M, T, C, R, B> {
    if (alias !== undefined) return this.#aggregate("MIN", column, alias);
    return this.#scalar("MIN", column);
  }

  /**
   * The largest value of a column, typed like the field (null when no row matches).
   *
   * @example
   * ```ts
   * User.query().max("createdAt"); // a Date
   * ```
   */
  max<K extends keyof C & string>(column: K): Out<M, ValueOf<C[K]> | null>;
  /** The largest value of a column of a joined table or an expression. */
  max(column: ColumnInput<C>): Out<M, unknown>;
  /** Adds `MAX(column) AS alias` to a grouped query. */
  max(column: ColumnInput<C>, alias: string): ActiveQuery<M, T, C, R, B>;
  max(column: ColumnInput<C>, alias?: string): Out<M, unknown> | ActiveQuery<M, T, C, R, B> {
    if (alias !== undefined) return this.#aggregate("MAX", column, alias);
    return this.#scalar("MAX", column);
  }

  /**
   * Runs a grouped query: one object per group with its group columns and aggregate aliases.
   *
   * @example
   * ```ts
   * Employee.query().groupBy("department")
   *   .count("id", "employee_count").avg("salary", "avg_salary").min("hireDate", "earliest_hire")
   *   .aggregate(); // [{ department, employee_count, avg_salary, earliest_hire }, ...]
   * ```
   */
  aggregate<R = Record<string, unknown>>(): Out<M, R[]> {
    return this.#run((d) => aggregateFlow<R>(d, this.#state));
  }
}

/** The relations of `R` by name. */
export type RelationName<R> = keyof R & string;

/** A query on the target of relation `K` of `R`, as loaders and `whereHas` receive it. */
export type RelatedQuery<M extends Mode, R, K extends keyof R, B> = R[K] extends RelationType ? ActiveQuery<
    M,
    RelatedRecord<B, R[K]["target"]>,
    SchemaColumns<R[K]["target"]>,
    SchemaRelations<R[K]["target"]>,
    B
  >
  : never;

/** Loaders of `with({ ... })`: by relation name, a function that narrows the query it is given. */
export type Loaders<M extends Mode, R, B> = {
  readonly [K in keyof R & string]?: (
    query: RelatedQuery<M, R, K, B>,
  ) => ActiveQuery<M, unknown, ColumnMap, RelationTypes, B>;
};

/** What a loader may narrow: where, order, limit and offset; anything else is an `ArgumentError`. */
function constraintOf(state: QueryState, path: string): LoadConstraint {
  const extra = state.joins.length || state.selects || state.groups.length || state.having ||
    state.aggregates.length || state.distinct || state.lock || state.extras.length;
  if (extra) {
    throw new ArgumentError(
      `with(): the loader of "${path}" may only use where, orderBy, limit, offset and with`,
    );
  }
  return { where: scopedWhere(state), orders: state.orders, limit: state.limit, offset: state.offset };
}

/** What `whereHas` may narrow: conditions only. */
function conditionOnly(state: QueryState, path: string): SqlFragment | undefined {
  const constraint = constraintOf(state, path);
  if (
    constraint.orders.length || constraint.limit !== undefined || constraint.offset !== undefined ||
    state.include.size
  ) {
    throw new ArgumentError(`whereHas(): the function for "${path}" may only add conditions (where)`);
  }
  return constraint.where;
}

/** `flow`'s value, or the error of `missing()` when it is undefined. */
function* orFail<T>(flow: Flow<T | undefined>, missing: () => Error): Flow<T> {
  const found = yield* flow;
  if (found === undefined) throw missing();
  return found;
}

function checkDirection(direction: string): "ASC" | "DESC" {
  const upper = String(direction).toUpperCase();
  if (upper !== "ASC" && upper !== "DESC") throw new ArgumentError(`direction must be "asc" or "desc"`);
  return upper;
}
