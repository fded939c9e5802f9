/**
 * Eager loading: the relations of records already in hand, one query per relation and level
 * (`WHERE <owner> IN (...)`, in chunks under the dialect's parameter limit), stitched onto the
 * records. Never N+1. A limit per parent uses `ROW_NUMBER() OVER (PARTITION BY <owner>)`.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { type TableSql, tableSql } from "../dialect/table_sql.ts";
import { execute, type Flow } from "../run/request.ts";
import type { Relation } from "../schema/relations.ts";
import { Identifier, SqlFragment } from "../sql/fragment.ts";
import { SqlWriter } from "../sql/writer.ts";
import { type RecordSource, scopeCondition } from "./source.ts";
import { relationNames } from "./sql.ts";
import type { LoadConstraint, LoadNode, LoadTree } from "./tree.ts";

/** Loads `tree`'s relations onto `records` (of `source`), level by level. */
export function* preloadFlow(
  dialect: Dialect,
  source: RecordSource,
  records: readonly unknown[],
  tree: LoadTree,
): Flow<void> {
  if (records.length === 0) return;
  for (const node of tree.values()) {
    const target = source.related(node.relation.target);
    const loaded = yield* loadNode(dialect, source, target, records, node);
    if (node.children.size) yield* preloadFlow(dialect, target, loaded, node.children);
  }
}

/** A key value as a map key: safe bigints as numbers, so `1n` and `1` match. */
function keyOf(value: unknown): unknown {
  return typeof value === "bigint" && value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** One relation of `parents`: its rows, grouped by owner and set on each parent; returns every row loaded. */
function* loadNode(
  dialect: Dialect,
  source: RecordSource,
  target: RecordSource,
  parents: readonly unknown[],
  node: LoadNode,
): Flow<unknown[]> {
  const { relation } = node;
  // A loader's constraint carries the target's default scopes already (or lifted them).
  const constraint = node.constraint ?? defaultConstraint(target);
  const keys = [
    ...new Set(
      parents.map((p) => keyOf(source.value(p, relation.sourceField))).filter((k) =>
        k !== null && k !== undefined
      ),
    ),
  ];
  const table = tableSql(relation.target, dialect);
  const byOwner = new Map<unknown, unknown[]>();
  const loaded: unknown[] = [];
  const size = Math.max(1, dialect.maxParameters - parameterCount(dialect, constraint));
  for (let start = 0; start < keys.length; start += size) {
    const { query, extra } = relatedQuery(
      dialect,
      relation,
      table,
      keys.slice(start, start + size),
      constraint,
    );
    const result = yield* execute(query);
    const owners = extra ? takeExtraColumns(result, extra) : undefined;
    const records = target.hydrate<unknown>(table, result);
    for (let i = 0; i < records.length; i++) {
      const owner = keyOf(owners ? owners[i] : target.value(records[i], relation.targetField));
      let group = byOwner.get(owner);
      if (!group) byOwner.set(owner, group = []);
      group.push(records[i]);
      loaded.push(records[i]);
    }
  }
  // Each parent gets its own array; a group is copied only when a second parent shares its key.
  const given = new Set<unknown[]>();
  for (const parent of parents) {
    const own = byOwner.get(keyOf(source.value(parent, relation.sourceField)));
    if (!relation.many) source.setLoaded(parent, relation.name, own?.[0] ?? null);
    else if (!own) source.setLoaded(parent, relation.name, []);
    else if (given.has(own)) source.setLoaded(parent, relation.name, [...own]);
    else {
      given.add(own);
      source.setLoaded(parent, relation.name, own);
    }
  }
  return loaded;
}

/** What loading a relation without a loader narrows: the target's default scopes. */
function defaultConstraint(target: RecordSource): LoadConstraint | undefined {
  const where = scopeCondition(target.scopes());
  return where ? { where, orders: [] } : undefined;
}

function parameterCount(dialect: Dialect, constraint: LoadConstraint | undefined): number {
  if (!constraint?.where) return 0;
  return new SqlWriter(dialect).fragment(constraint.where).params.length;
}

const OWNER = "__ar_owner";
const RANK = "__ar_rank";

/**
 * `SELECT <target> FROM <target> [JOIN <join>] WHERE <owner> IN (...) [AND <where>] ORDER BY ...`;
 * with a limit or offset per parent, ranked in a subquery. `extra`: the trailing columns that are
 * not the target's (the owner, then the rank).
 */
function relatedQuery(
  dialect: Dialect,
  relation: Relation,
  table: TableSql,
  keys: readonly unknown[],
  constraint: LoadConstraint | undefined,
): { query: DriverQuery; extra: number } {
  const names = relationNames(relation, "", "__ar_related");
  const via = relation.through;
  const ownerField = via ? via.sourceKey : relation.targetField;
  const owner = new Identifier(via ? names.through : names.target, ownerField.column);
  const w = new SqlWriter(dialect);
  const windowed = constraint?.limit !== undefined || constraint?.offset !== undefined;
  const orders = constraint?.orders.length
    ? constraint.orders
    : relation.target.keyFields.map((f) => new SqlFragment([new Identifier(names.target, f.column), " ASC"]));
  if (windowed) w.raw("SELECT * FROM (");
  w.raw(`SELECT ${table.qualifiedColumnList}`);
  if (via || windowed) w.raw(", ").fragment(new SqlFragment([owner])).raw(" AS ").id(OWNER);
  if (windowed) {
    w.raw(", ROW_NUMBER() OVER (PARTITION BY ").fragment(new SqlFragment([owner]));
    if (orders.length) w.raw(" ORDER BY ").list(orders, (order) => w.fragment(order));
    w.raw(") AS ").id(RANK);
  }
  w.raw(" FROM ").id(relation.target.table);
  if (via) {
    w.raw(" INNER JOIN ").id(via.schema.table);
    if (names.through !== via.schema.table) w.raw(" AS ").id(names.through);
    w.raw(" ON ").id(names.through, via.targetKey.column).raw(" = ").id(
      names.target,
      relation.targetField.column,
    );
  }
  w.raw(" WHERE ").fragment(new SqlFragment([owner])).raw(" IN (");
  const kind = ownerField.spec.kind;
  w.list(keys, (key) => w.param(key, kind));
  w.raw(")");
  if (constraint?.where) w.raw(" AND (").fragment(constraint.where).raw(")");
  if (windowed) {
    const offset = constraint?.offset ?? 0;
    w.raw(`) AS ${dialect.quote("__ar_ranked")} WHERE ${dialect.quote(RANK)} > ${offset}`);
    if (constraint?.limit !== undefined) w.raw(` AND ${dialect.quote(RANK)} <= ${offset + constraint.limit}`);
    w.raw(` ORDER BY ${dialect.quote(OWNER)}, ${dialect.quote(RANK)}`);
  } else if (orders.length) {
    w.raw(" ORDER BY ").list(orders, (order) => w.fragment(order));
  }
  const query = { text: w.text, params: w.params, returnsRows: true, bigints: table.bigints };
  return { query, extra: windowed ? 2 : via ? 1 : 0 };
}

const trimmed = new WeakMap<readonly string[], readonly string[]>();

/** Removes the last `count` columns of `result` (in place); returns the first of them, the owner, per row. */
function takeExtraColumns(result: QueryResult, count: number): unknown[] {
  const at = result.columns.length - count;
  const owners = new Array<unknown>(result.rows.length);
  for (let i = 0; i < result.rows.length; i++) {
    const row = result.rows[i];
    owners[i] = row[at];
    row.length = at;
  }
  // Drivers hand back the same column array per statement: keep one trimmed array per original, so
  // that row plans stay cached.
  let columns = trimmed.get(result.columns);
  if (!columns) trimmed.set(result.columns, columns = result.columns.slice(0, at));
  (result as { columns: readonly string[] }).columns = columns;
  return owners;
}
