/**
 * Reading records: by key, by conditions, by keys, by SQL, and reloading one.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import { ArgumentError } from "../errors.ts";
import { compileSelect } from "../query/compile.ts";
import { condition, fieldColumn, inList, objectCondition } from "../query/conditions.ts";
import { initialState, type QueryState } from "../query/state.ts";
import { execute, type Flow } from "../run/request.ts";
import { compileStatement, type Statement } from "../run/statement.ts";
import type { Schema } from "../schema/schema.ts";
import { typeMismatch } from "../schema/validate.ts";
import { engineOf, sourceOf } from "./binding.ts";
import { decodeRow, hydrate } from "./hydrate.ts";
import { internals, type Key, type ModelClass, type RecordBase } from "./record.ts";
import { keyParams, modelSql as context, notFound, requireKey } from "./write_values.ts";

type AnyRecord = RecordBase;

/** The SELECT of the row with key values `key` (every column of a composite key), with the default scopes. */
function scopedByKey(cls: ModelClass, schema: Schema, key: readonly unknown[]): QueryState {
  const conditions = Object.fromEntries(schema.keyFields.map((field, i) => [field.name, key[i]]));
  return {
    ...initialState(sourceOf(cls)),
    where: objectCondition(schema, conditions, "find by key"),
    limit: 1,
  };
}

/** Reloads a record from its row (a row its default scopes hide is not found). */
export function* refreshFlow<T extends AnyRecord>(record: T, cls: ModelClass): Flow<T> {
  const { schema, dialect, table } = context(cls);
  const sql = { schema, dialect, table };
  const params = keyParams(cls, sql, record, "refreshed");
  if (!internals.isPersisted(record) || internals.storedKey(record).includes(undefined)) {
    throw notFound(cls, schema);
  }
  const query = sourceOf(cls).scopes().length
    ? compileSelect(dialect, scopedByKey(cls, schema, internals.storedKey(record)))
    : { text: table.selectByKey, params, returnsRows: true, bigints: table.bigints };
  const result = yield* execute(query);
  if (result.rows.length === 0) throw notFound(cls, schema);
  internals.markPersisted(record, decodeRow(table, result));
  return record;
}

/**
 * The SELECT of `findOne`: by key (the cached text, or one with the default scopes), or by a plain
 * object of conditions.
 */
function findOneQuery(cls: ModelClass, keyOrConditions: unknown): DriverQuery {
  const { schema, dialect, table } = context(cls);
  if (typeof keyOrConditions === "object" && keyOrConditions !== null) {
    // Only a plain object is a condition; objectCondition says so for a Map, a Date, an array...
    const where = objectCondition(schema, keyOrConditions as Record<string, unknown>, "findOne");
    return compileSelect(dialect, { ...initialState(sourceOf(cls)), where, limit: 1 });
  }
  const key = requireKey(cls, schema, "found by key");
  const mismatch = typeMismatch(key.spec.kind, keyOrConditions);
  if (mismatch) throw new ArgumentError(`findOne: the key of ${schema.table} ${mismatch}`);
  if (sourceOf(cls).scopes().length) {
    return compileSelect(dialect, scopedByKey(cls, schema, [keyOrConditions]));
  }
  const params = [dialect.encodeParam(keyOrConditions, key.spec.kind, 1)];
  return { text: table.selectByKey, params, returnsRows: true, bigints: table.bigints };
}

/** The record of a `findOne` result, if any. */
function firstRecord(result: QueryResult, cls: ModelClass): unknown {
  return result.rows.length ? hydrate(cls, context(cls).table, result)[0] : undefined;
}

/** The record of a `findOneOrFail` result, or `RecordNotFoundError`. */
function firstRecordOrFail(result: QueryResult, cls: ModelClass): unknown {
  if (result.rows.length === 0) throw notFound(cls, cls.schema);
  return hydrate(cls, context(cls).table, result)[0];
}

/**
 * `findOne` / `findOneOrFail`: one statement, planned at once and run without a flow; a bad key or
 * condition fails as the mode fails (thrown in sync mode, a rejection in async mode).
 */
export function findOne(cls: ModelClass, keyOrConditions: unknown, orFail: boolean): unknown {
  const engine = engineOf(cls);
  let query: DriverQuery;
  try {
    query = findOneQuery(cls, keyOrConditions);
  } catch (error) {
    return engine.rejected(error);
  }
  return engine.query(query, orFail ? firstRecordOrFail : firstRecord, cls);
}

/** Finds records by conditions, keys or SQL. */
export function* findAllFlow<T>(
  cls: ModelClass,
  conditions: unknown,
  params?: readonly unknown[],
): Flow<T[]> {
  const { schema, dialect, table } = context(cls);
  let state: QueryState = initialState(sourceOf(cls));
  if (Array.isArray(conditions)) {
    state = {
      ...state,
      where: inList(
        schema,
        fieldColumn(schema, requireKey(cls, schema, "found by key")),
        conditions as Key[],
        "findAll",
      ),
    };
  } else if (conditions !== undefined) {
    state = { ...state, where: condition(schema, conditions as Statement, params, "findAll") };
  }
  return hydrate<T>(cls, table, yield* execute(compileSelect(dialect, state)));
}

/** Loads records from a whole SQL query. */
export function* findBySqlFlow<T>(
  cls: ModelClass,
  statement: Statement,
  params?: readonly unknown[],
): Flow<T[]> {
  const { dialect, table } = context(cls);
  const query = { ...compileStatement(dialect, statement, params, true), bigints: table.bigints };
  return hydrate<T>(cls, table, yield* execute(query));
}
