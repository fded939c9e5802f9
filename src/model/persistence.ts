/**
 * The flows behind model methods: save (insert or update), delete, refresh, finders and bulk
 * writes. Written once; the engines make them sync or async.
 * @module
 */
import type { QueryResult } from "../backend.ts";
import { compileStatement, type Statement } from "../run/statement.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { ArgumentError, RecordNotFoundError, ValidationError, type ValidationErrors } from "../errors.ts";
import { compileSelect } from "../query/compile.ts";
import { condition, fieldColumn, inList, isPlainObject, objectCondition } from "../query/conditions.ts";
import { initialState, type QueryState } from "../query/state.ts";
import { execute, type Flow } from "../run/request.ts";
import { SqlWriter } from "../sql/writer.ts";
import { atomically } from "../transaction/flows.ts";
import { decodeRow, hydrate } from "./hydrate.ts";
import { engineOf, requireSchema, sourceOf } from "./binding.ts";
import { internals, type Key, type ModelClass, type RecordBase } from "./record.ts";
import type { ColumnMap, FieldInfo, Schema } from "../schema/schema.ts";
import { tableSql } from "../dialect/table_sql.ts";
import { storedForm } from "../schema/normalize.ts";
import { typeMismatch, validateValues } from "../schema/validate.ts";
import { checkValue, isValid } from "../schema/validate.ts";
import type { Mode } from "../mode.ts";

/** Options of `upsert`. */
export interface UpsertOptions<C extends ColumnMap> {
  /** The unique columns that identify an existing row. */
  readonly conflict: readonly (keyof C & string)[];
  /** The columns to overwrite on conflict (default: every given column but the conflict columns and the key). */
  readonly update?: readonly (keyof C & string)[];
}

type AnyRecord = RecordBase<Mode>;

function context(cls: ModelClass) {
  const schema = requireSchema(cls);
  const dialect = engineOf(cls).dialect;
  return { schema, dialect, table: tableSql(schema, dialect) };
}

function encodeFields(dialect: Dialect, fields: readonly FieldInfo[], values: readonly unknown[]): unknown[] {
  const params = new Array<unknown>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const value = values[fields[i].index];
    params[i] = dialect.encodeParam(value === undefined ? null : value, fields[i].spec.kind, i + 1);
  }
  return params;
}

/** Puts the values of `fields` in the form the database stores (decimals at their scale, full times). */
function toStoredForms(fields: readonly FieldInfo[], values: unknown[]): void {
  for (const field of fields) {
    const kind = field.spec.kind;
    if (kind === "decimal" || kind === "time") {
      values[field.index] = storedForm(field.spec, values[field.index]);
    }
  }
}

/** Fills `defaultNow` fields that were left out, at the time of insert. */
function fillNow(schema: Schema, values: unknown[]): void {
  for (const field of schema.fields) {
    if (field.spec.defaultNow && values[field.index] === undefined) {
      const now = new Date();
      values[field.index] = field.spec.kind === "date" ? now.toISOString().slice(0, 10) : now;
    }
  }
}

function requireKey(cls: ModelClass, schema: Schema, action: string): FieldInfo {
  if (!schema.primaryKey) {
    throw new ArgumentError(`${cls.name} has no primary key, so a single record cannot be ${action}`);
  }
  return schema.primaryKey;
}

function notFound(cls: ModelClass, schema: Schema): RecordNotFoundError {
  return new RecordNotFoundError(`${cls.name} not found in ${schema.table}`, schema.table);
}

function generatedKey(field: FieldInfo, raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  return field.spec.kind === "bigint" ? BigInt(raw as number) : Number(raw);
}

/** Inserts a new record or updates the changed fields of a stored one. */
export function* saveFlow<T extends AnyRecord>(record: T, cls: ModelClass): Flow<T> {
  const { schema, dialect, table } = context(cls);
  const values = internals.values(record);
  if (!internals.isPersisted(record)) {
    fillNow(schema, values);
    const errors = validateValues(schema, values, true);
    if (!isValid(errors)) throw new ValidationError(cls.name, errors);
    const fields = schema.fields.filter((f) => values[f.index] !== undefined);
    toStoredForms(fields, values);
    const key = schema.primaryKey;
    const wantsKey = key !== undefined && schema.autoIncrement && values[key.index] === undefined;
    const returning = wantsKey && dialect.insertedKeyFrom === "returning"
      ? ` RETURNING ${table.keyColumn}`
      : "";
    const result: QueryResult = yield {
      kind: "query",
      query: {
        text: table.insert(fields, 1, returning),
        params: encodeFields(dialect, fields, values),
        returnsRows: returning !== "",
        bigints: table.bigints,
      },
    };
    if (wantsKey) {
      values[key.index] = generatedKey(key, returning ? result.rows[0]?.[0] : result.lastInsertId);
    }
    internals.markPersisted(record);
    return record;
  }
  const changed = internals.changedFields(record);
  if (changed.length === 0) return record;
  const key = requireKey(cls, schema, "updated");
  const errors = validateValues(schema, values, false, changed);
  if (!isValid(errors)) throw new ValidationError(cls.name, errors);
  toStoredForms(changed, values);
  const params = encodeFields(dialect, changed, values);
  params.push(dialect.encodeParam(internals.storedKey(record), key.spec.kind, params.length + 1));
  const result = yield* execute({
    text: table.update(changed),
    params,
    returnsRows: false,
    bigints: table.bigints,
  });
  if (result.changes === 0) throw notFound(cls, schema);
  internals.markPersisted(record);
  return record;
}

/** Deletes a record's row. */
export function* deleteFlow(record: AnyRecord, cls: ModelClass): Flow<boolean> {
  const { schema, dialect, table } = context(cls);
  const key = requireKey(cls, schema, "deleted");
  if (!internals.isPersisted(record)) return false;
  const result = yield* execute({
    text: table.deleteByKey,
    params: [dialect.encodeParam(internals.storedKey(record), key.spec.kind, 1)],
    returnsRows: false,
  });
  internals.markDeleted(record);
  return result.changes > 0;
}

/** Reloads a record from its row. */
export function* refreshFlow<T extends AnyRecord>(record: T, cls: ModelClass): Flow<T> {
  const { schema, dialect, table } = context(cls);
  const key = requireKey(cls, schema, "refreshed");
  const stored = internals.storedKey(record);
  if (stored === undefined || !internals.isPersisted(record)) throw notFound(cls, schema);
  const result = yield* execute({
    text: table.selectByKey,
    params: [dialect.encodeParam(stored, key.spec.kind, 1)],
    returnsRows: true,
    bigints: table.bigints,
  });
  if (result.rows.length === 0) throw notFound(cls, schema);
  internals.markPersisted(record, decodeRow(table, result));
  return record;
}

/** Finds one record by key or conditions. */
export function* findOneFlow<T>(cls: ModelClass, keyOrConditions: unknown, orFail: boolean): Flow<T> {
  const { schema, dialect, table } = context(cls);
  let found: T | undefined;
  if (typeof keyOrConditions === "object" && keyOrConditions !== null) {
    // Only a plain object is a condition; objectCondition says so for a Map, a Date, an array...
    const state = {
      ...initialState(sourceOf(cls)),
      where: objectCondition(schema, keyOrConditions as Record<string, unknown>, "findOne"),
      limit: 1,
    };
    found = hydrate<T>(cls, table, yield* execute(compileSelect(dialect, state)))[0];
  } else {
    const key = requireKey(cls, schema, "found by key");
    const mismatch = typeMismatch(key.spec.kind, keyOrConditions);
    if (mismatch) throw new ArgumentError(`findOne: the key of ${schema.table} ${mismatch}`);
    const params = [dialect.encodeParam(keyOrConditions, key.spec.kind, 1)];
    // The hot path yields its request directly rather than through `execute`'s extra generator.
    const result: QueryResult = yield {
      kind: "query",
      query: { text: table.selectByKey, params, returnsRows: true, bigints: table.bigints },
    };
    found = hydrate<T>(cls, table, result)[0];
  }
  if (found === undefined && orFail) throw notFound(cls, schema);
  return found as T;
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

/** Most parameters one statement may carry (under every supported database's limit). */
const MAX_PARAMS = 30000;
const MAX_ROWS_PER_INSERT = 500;

/** Validates then inserts many rows, all or nothing. */
export function* insertManyFlow(cls: ModelClass, rows: readonly Record<string, unknown>[]): Flow<number> {
  const { schema, dialect, table } = context(cls);
  if (!Array.isArray(rows)) throw new ArgumentError("insertMany expects an array of objects");
  const errors: ValidationErrors = {};
  const groups = new Map<string, { fields: FieldInfo[]; rows: unknown[][] }>();
  rows.forEach((attributes, i) => {
    const values = internals.values(new (cls as unknown as new (a: unknown) => AnyRecord)(attributes));
    fillNow(schema, values);
    for (const [field, messages] of Object.entries(validateValues(schema, values, true))) {
      errors[`${i}.${field}`] = messages;
    }
    const fields = schema.fields.filter((f) => values[f.index] !== undefined);
    toStoredForms(fields, values);
    const mask = fields.map((f) => f.index).join(",");
    let group = groups.get(mask);
    if (!group) groups.set(mask, group = { fields, rows: [] });
    group.rows.push(values);
  });
  if (!isValid(errors)) throw new ValidationError(cls.name, errors);
  if (rows.length === 0) return 0;
  return yield* atomically(dialect, function* (frame) {
    let inserted = 0;
    for (const { fields, rows: group } of groups.values()) {
      const perStatement = Math.max(
        1,
        Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / (fields.length || 1))),
      );
      for (let start = 0; start < group.length; start += perStatement) {
        const chunk = group.slice(start, start + perStatement);
        const params: unknown[] = [];
        for (const values of chunk) params.push(...encodeFields(dialect, fields, values));
        const text = fields.length ? table.insert(fields, chunk.length) : table.insert(fields);
        const times = fields.length ? 1 : chunk.length; // a row of defaults only is inserted one by one
        for (let t = 0; t < times; t++) {
          const result = yield* execute({ text, params, returnsRows: false, bigints: table.bigints }, frame);
          inserted += result.changes;
        }
      }
    }
    return inserted;
  });
}

/** Validated `SET` values for `updateAll`. */
function setClause(
  cls: ModelClass,
  schema: Schema,
  writer: SqlWriter,
  values: Record<string, unknown>,
): void {
  if (!isPlainObject(values)) throw new ArgumentError("updateAll expects a plain object of values");
  const names = Object.keys(values);
  if (names.length === 0) throw new ArgumentError("updateAll needs at least one value to set");
  const errors: ValidationErrors = {};
  const fields = names.map((name) => schema.requireField(name, "updateAll"));
  const valueOf = (field: FieldInfo) =>
    Object.hasOwn(values, field.name) ? values[field.name] : values[field.column];
  for (const field of fields) {
    const messages = checkValue(field.spec, valueOf(field), () => values);
    if (messages.length) errors[field.name] = messages;
  }
  if (!isValid(errors)) throw new ValidationError(cls.name, errors);
  writer.list(fields, (field) => {
    const value = storedForm(field.spec, valueOf(field));
    writer.id(field.column).raw(" = ").param(value ?? null, field.spec.kind);
  });
}

/** Updates every row matching `conditions`. */
export function* updateAllFlow(
  cls: ModelClass,
  values: Record<string, unknown>,
  conditions: unknown,
  params?: readonly unknown[],
): Flow<number> {
  const { schema, dialect, table } = context(cls);
  const writer = new SqlWriter(dialect).raw(`UPDATE ${table.table} SET `);
  setClause(cls, schema, writer, values);
  const where = conditions === undefined
    ? undefined
    : condition(schema, conditions as Statement, params, "updateAll");
  if (where) writer.raw(" WHERE ").fragment(where);
  const result = yield* execute({ text: writer.text, params: writer.params, returnsRows: false });
  return result.changes;
}

/** Deletes every row matching `conditions`. */
export function* deleteAllFlow(
  cls: ModelClass,
  conditions: unknown,
  params?: readonly unknown[],
): Flow<number> {
  const { schema, dialect, table } = context(cls);
  const writer = new SqlWriter(dialect).raw(`DELETE FROM ${table.table}`);
  const where = conditions === undefined
    ? undefined
    : condition(schema, conditions as Statement, params, "deleteAll");
  if (where) writer.raw(" WHERE ").fragment(where);
  const result = yield* execute({ text: writer.text, params: writer.params, returnsRows: false });
  return result.changes;
}

/** Inserts a record or updates the row with the same conflict columns; loads the stored row. */
export function* upsertFlow<T extends AnyRecord>(
  record: T,
  cls: ModelClass,
  options: UpsertOptions<ColumnMap>,
): Flow<T> {
  const { schema, dialect, table } = context(cls);
  const values = internals.values(record);
  fillNow(schema, values);
  const errors = validateValues(schema, values, true);
  if (!isValid(errors)) throw new ValidationError(cls.name, errors);
  if (!options || !Array.isArray(options.conflict) || options.conflict.length === 0) {
    throw new ArgumentError("upsert needs { conflict: [unique columns] }");
  }
  const conflict = options.conflict.map((name) => schema.requireField(name, "upsert conflict"));
  for (const field of conflict) {
    if (values[field.index] === undefined) {
      throw new ArgumentError(`upsert: conflict column ${field.name} has no value`);
    }
  }
  const fields = schema.fields.filter((f) => values[f.index] !== undefined);
  toStoredForms(fields, values);
  const update = options.update
    ? options.update.map((name) => schema.requireField(name, "upsert update"))
    : fields.filter((f) => !conflict.includes(f) && !f.spec.primaryKey);
  const clause = dialect.upsertClause(conflict.map((f) => f.column), update.map((f) => f.column));
  const returning = dialect.supportsReturning ? ` RETURNING ${table.columnList}` : "";
  const result = yield* execute({
    text: table.insert(fields, 1, clause + returning),
    params: encodeFields(dialect, fields, values),
    returnsRows: returning !== "",
    bigints: table.bigints,
  });
  if (returning) {
    internals.markPersisted(record, decodeRow(table, result));
    return record;
  }
  // Without RETURNING, read the row back by its conflict columns, which identify it.
  const state = {
    ...initialState(sourceOf(cls)),
    where: objectCondition(
      schema,
      Object.fromEntries(conflict.map((f) => [f.name, values[f.index]])),
      "upsert",
    ),
  };
  const stored = yield* execute(compileSelect(dialect, state));
  if (stored.rows.length === 0) throw notFound(cls, schema);
  internals.markPersisted(record, decodeRow(table, stored));
  return record;
}
