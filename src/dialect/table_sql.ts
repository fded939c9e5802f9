/**
 * What a model needs per dialect, computed once: quoted column lists, decoders, the statements of
 * the hot paths (find by key, insert, update, delete) and row plans for hydration.
 * @module
 */
import type { Decoder, Dialect } from "./dialect.ts";
import { QueryError } from "../errors.ts";
import type { FieldInfo, Schema } from "../schema/schema.ts";
import type { SqlFragment } from "../sql/fragment.ts";
import { SqlWriter } from "../sql/writer.ts";

/** How one result's columns map onto a schema's fields. */
export interface RowPlan {
  /** The columns are exactly the schema's, in order: rows can become value arrays as they are. */
  readonly aligned: boolean;
  /** For each result column, the field index, or -1 for a column that is not a field. */
  readonly fieldAt: readonly number[];
  /** For each result column, its decoder. */
  readonly decoders: readonly (Decoder | undefined)[];
}

/**
 * Conditions a hot-path statement carries after its key (a default scope, a lock version). Texts are
 * cached by `key`, so it must name the conditions' SQL shape; their values go in as parameters.
 */
export interface ExtraWhere {
  /** Names the conditions' SQL shape (not their values). */
  readonly key: string;
  /** The conditions, ANDed after the key's. */
  readonly conditions: readonly SqlFragment[];
}

/** A statement's text and the parameters of its extra conditions (which follow its own). */
export interface WithExtra {
  readonly text: string;
  readonly params: unknown[];
}

/** A schema's SQL for one dialect. */
export class TableSql {
  /** The quoted table name. */
  readonly table: string;
  /** `"id", "name", ...` in field order. */
  readonly columnList: string;
  /** `"users"."id", ...` for queries with joins. */
  readonly qualifiedColumnList: string;
  /** The quoted primary-key column, if any. */
  readonly keyColumn: string | undefined;
  /** Decoders by field index. */
  readonly decoders: readonly (Decoder | undefined)[];
  /** Whether drivers must read 64-bit integers exactly. */
  readonly bigints: boolean;
  /** The dialect. */
  readonly dialect: Dialect;
  /** The schema. */
  readonly schema: Schema;
  readonly #schema: Schema;
  readonly #dialect: Dialect;
  readonly #statements = new Map<string, string>();
  readonly #inserts = new Map<number | string, string>();
  readonly #insertsReturning = new Map<string, string>();
  readonly #multiInserts = new Map<string, string>();
  readonly #updates = new Map<number | string, string>();
  readonly #plans = new WeakMap<readonly string[], RowPlan>();

  /** Computes the SQL of `schema` in `dialect`; use `tableSql` to share it. */
  constructor(schema: Schema, dialect: Dialect) {
    this.#schema = this.schema = schema;
    this.#dialect = this.dialect = dialect;
    this.table = dialect.quote(schema.table);
    this.columnList = schema.fields.map((f) => dialect.quote(f.column)).join(", ");
    this.qualifiedColumnList = schema.fields.map((f) => `${this.table}.${dialect.quote(f.column)}`).join(
      ", ",
    );
    this.keyColumn = schema.primaryKey && dialect.quote(schema.primaryKey.column);
    this.bigints = schema.hasBigint;
    this.decoders = schema.fields.map((f) => {
      const decode = dialect.decoder(f.spec, this.bigints);
      return f.spec.kind === "integer" ? safeInteger(decode, `${schema.table}.${f.column}`) : decode;
    });
  }

  /** `SELECT <columns> FROM <table> WHERE <key> = ?` (each key column, for a composite key). */
  get selectByKey(): string {
    return this.#cached(
      "selectByKey",
      () => `SELECT ${this.columnList} FROM ${this.table} WHERE ${this.#keyWhere(0)}`,
    );
  }

  /** `DELETE FROM <table> WHERE <key> = ?`. */
  get deleteByKey(): string {
    return this.#cached("deleteByKey", () => `DELETE FROM ${this.table} WHERE ${this.#keyWhere(0)}`);
  }

  /** `<key> = ? [AND <key2> = ?]`, placeholders numbered after `before` parameters. */
  #keyWhere(before: number): string {
    const d = this.#dialect;
    return this.#schema.keyFields.map((f, i) => `${d.quote(f.column)} = ${d.placeholder(before + i + 1)}`)
      .join(" AND ");
  }

  /** `INSERT INTO <table> (<fields>) VALUES (?, ...)` for `rows` rows, with RETURNING of the key when asked. */
  insert(fields: readonly FieldInfo[], rows = 1, returning = ""): string {
    // Multi-row inserts come in few sizes (full chunks and one remainder): keep a few of them.
    if (rows !== 1) {
      const key = `${fieldKey(fields)}x${rows}`;
      let text = this.#multiInserts.get(key);
      if (text === undefined) {
        if (this.#multiInserts.size >= 16) this.#multiInserts.clear();
        this.#multiInserts.set(key, text = this.#insertText(fields, rows, returning));
      }
      return text;
    }
    const key = fieldKey(fields);
    if (returning === "") {
      let text = this.#inserts.get(key);
      if (text === undefined) this.#inserts.set(key, text = this.#insertText(fields, 1, ""));
      return text;
    }
    const cacheKey = `${key}:${returning}`;
    let text = this.#insertsReturning.get(cacheKey);
    if (text === undefined) {
      this.#insertsReturning.set(cacheKey, text = this.#insertText(fields, 1, returning));
    }
    return text;
  }

  #insertText(fields: readonly FieldInfo[], rows: number, returning: string): string {
    const d = this.#dialect;
    if (fields.length === 0) return `INSERT INTO ${this.table}${d.emptyInsertValues()}${returning}`;
    const columns = fields.map((f) => d.quote(f.column)).join(", ");
    const tuples: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r++) tuples.push(`(${fields.map(() => d.placeholder(++n)).join(", ")})`);
    return `INSERT INTO ${this.table} (${columns}) VALUES ${tuples.join(", ")}${returning}`;
  }

  /** `UPDATE <table> SET <field> = ?, ... WHERE <key> = ?`. */
  update(fields: readonly FieldInfo[]): string {
    const key = fieldKey(fields);
    let text = this.#updates.get(key);
    if (text === undefined) {
      const d = this.#dialect;
      const sets = fields.map((f, i) => `${d.quote(f.column)} = ${d.placeholder(i + 1)}`).join(", ");
      text = `UPDATE ${this.table} SET ${sets} WHERE ${this.#keyWhere(fields.length)}`;
      this.#updates.set(key, text);
    }
    return text;
  }

  /**
   * `text` (a statement with `count` parameters ending in its WHERE) with `extra`'s conditions
   * ANDed on; the text is cached per shape, the parameters are encoded per call.
   */
  withExtra(text: string, count: number, extra: ExtraWhere | undefined): WithExtra {
    if (extra === undefined || extra.conditions.length === 0) return { text, params: [] };
    const writer = new SqlWriter(this.#dialect, count);
    for (const condition of extra.conditions) writer.raw(" AND (").fragment(condition).raw(")");
    const cacheKey = `${text}\u0000${extra.key}`;
    let full = this.#statements.get(cacheKey);
    if (full === undefined) this.#statements.set(cacheKey, full = text + writer.text);
    return { text: full, params: writer.params };
  }

  /** How rows with `columns` map onto fields (cached per column array, which drivers reuse per statement). */
  plan(columns: readonly string[]): RowPlan {
    let plan = this.#plans.get(columns);
    if (!plan) this.#plans.set(columns, plan = this.#makePlan(columns));
    return plan;
  }

  #makePlan(columns: readonly string[]): RowPlan {
    const fields = this.#schema.fields;
    const fieldAt = columns.map((name) => this.#schema.field(name)?.index ?? -1);
    const aligned = columns.length === fields.length && fieldAt.every((index, i) => index === i);
    const decoders = fieldAt.map((index) => index < 0 ? undefined : this.decoders[index]);
    return { aligned, fieldAt, decoders };
  }

  #cached(key: string, build: () => string): string {
    let text = this.#statements.get(key);
    if (text === undefined) this.#statements.set(key, text = build());
    return text;
  }
}

/**
 * An `integer()` value read back must be a safe integer on every backend (drivers differ beyond
 * 2^53: an error, a rounded number, a bigint): anything else is a `QueryError` naming the column.
 */
function safeInteger(decode: Decoder | undefined, column: string): Decoder {
  return (value) => {
    const n = decode === undefined ? value : decode(value);
    if (typeof n === "number" && (Number.isSafeInteger(n) || !Number.isInteger(n))) return n;
    if (typeof n === "bigint" && n >= -MAX_SAFE && n <= MAX_SAFE) return Number(n);
    throw new QueryError(`${column} holds an integer beyond ±(2^53-1): declare it column.bigint()`);
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A cache key for a set of fields: a bitmask while it fits, so hot paths build no string. */
function fieldKey(fields: readonly FieldInfo[]): number | string {
  let mask = 0;
  for (const field of fields) {
    if (field.index > 30) return fields.map((f) => f.index).join(",");
    mask |= 1 << field.index;
  }
  return mask;
}

const tables = new WeakMap<Schema, Map<Dialect, TableSql>>();
let last: TableSql | undefined; // loops over one model hit this memo instead of two maps

/** The shared `TableSql` of `schema` in `dialect`. */
export function tableSql(schema: Schema, dialect: Dialect): TableSql {
  if (last !== undefined && last.schema === schema && last.dialect === dialect) return last;
  last = lookup(schema, dialect);
  return last;
}

function lookup(schema: Schema, dialect: Dialect): TableSql {
  let byDialect = tables.get(schema);
  if (!byDialect) tables.set(schema, byDialect = new Map());
  let table = byDialect.get(dialect);
  if (!table) byDialect.set(dialect, table = new TableSql(schema, dialect));
  return table;
}
