/**
 * Eager loading: 100 parents with their 10 children each (1 level), and with the children's 2
 * children each (2 levels), through `with()`, beside the raw driver running the same queries by hand
 * (parents, then `WHERE parent_id IN (...)`, grouped into arrays on the parents).
 */
import { DatabaseSync } from "node:sqlite";
import initSqlJs from "sql.js";
import postgres from "postgres";
import { ActiveRecord, AsyncActiveRecord, type Backend, column, defineSchema, relations } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { SqlJsBackend } from "../backends/sqljs.ts";
import { PostgresBackend } from "../backends/postgres.ts";
import { contest, type ContestResult } from "./contest.ts";

const parents = defineSchema("bench_parents", { id: column.integer().primaryKey(), name: column.text() });
const children = defineSchema("bench_children", {
  id: column.integer().primaryKey(),
  parentId: column.integer().references("bench_parents"),
  label: column.text(),
  n: column.integer(),
});
const grandchildren = defineSchema("bench_grandchildren", {
  id: column.integer().primaryKey(),
  childId: column.integer().references("bench_children"),
  note: column.text(),
});
const tree = relations({ parents, children, grandchildren }, (r) => ({
  parents: { children: r.hasMany("children") },
  children: { grandchildren: r.hasMany("grandchildren") },
}));

type Row = Record<string, unknown>;

/** A raw driver: rows as objects from SQL with `?` placeholders (numbered for PostgreSQL by `sql`). */
interface RawDriver {
  readonly label: string;
  rows(sql: string, params: readonly unknown[]): Row[] | Promise<Row[]>;
  readonly placeholder: (n: number) => string;
}

const PARENTS = 100;

/** The children of `rows` (by `key` of `rows`, `foreign` of the children), on a property `as`. */
async function attach(
  raw: RawDriver,
  rows: Row[],
  table: string,
  foreign: string,
  as: string,
): Promise<Row[]> {
  const ids = rows.map((r) => r.id);
  const list = ids.map((_, i) => raw.placeholder(i + 1)).join(", ");
  const found = await raw.rows(`select * from ${table} where ${foreign} in (${list}) order by id`, ids);
  const byOwner = new Map<unknown, Row[]>();
  for (const row of found) {
    let group = byOwner.get(row[foreign]);
    if (!group) byOwner.set(row[foreign], group = []);
    group.push(row);
  }
  for (const row of rows) row[as] = byOwner.get(row.id) ?? [];
  return found;
}

async function rawOneLevel(raw: RawDriver): Promise<Row[]> {
  const top = await raw.rows(`select * from bench_parents order by id limit ${PARENTS}`, []);
  await attach(raw, top, "bench_children", "parent_id", "children");
  return top;
}

async function rawTwoLevels(raw: RawDriver): Promise<Row[]> {
  const top = await raw.rows(`select * from bench_parents order by id limit ${PARENTS}`, []);
  const kids = await attach(raw, top, "bench_children", "parent_id", "children");
  await attach(raw, kids, "bench_grandchildren", "child_id", "grandchildren");
  return top;
}

const SETUP = [
  "create table bench_parents (id integer primary key, name text not null)",
  "create table bench_children (id integer primary key, parent_id integer not null references bench_parents (id), label text not null, n integer not null)",
  "create table bench_grandchildren (id integer primary key, child_id integer not null references bench_children (id), note text not null)",
];

/** Fills the three tables through `exec` (one statement at a time). */
async function fill(exec: (sql: string) => unknown): Promise<void> {
  for (const sql of SETUP) await exec(sql);
  const values = (count: number, make: (i: number) => string) =>
    Array.from({ length: count }, (_, i) => make(i + 1)).join(", ");
  await exec(
    `insert into bench_parents (id, name) values ${values(PARENTS, (i) => `(${i}, 'parent ${i}')`)}`,
  );
  await exec(
    `insert into bench_children (id, parent_id, label, n) values ${
      values(PARENTS * 10, (i) => `(${i}, ${Math.ceil(i / 10)}, 'child ${i}', ${i})`)
    }`,
  );
  await exec(
    `insert into bench_grandchildren (id, child_id, note) values ${
      values(PARENTS * 20, (i) => `(${i}, ${Math.ceil(i / 2)}, 'note ${i}')`)
    }`,
  );
}

/** The two eager queries, on models of `tree` in `mode`, bound to `backend`. */
function eagerQueries(backend: Backend, mode: "sync" | "async"): { all(): unknown }[] {
  if (mode === "sync") {
    class Parent extends ActiveRecord.model(tree.parents) {}
    class Child extends ActiveRecord.model(tree.children) {}
    class Grandchild extends ActiveRecord.model(tree.grandchildren) {}
    for (const cls of [Parent, Child, Grandchild]) cls.configure(backend);
    const top = Parent.query().orderBy("id").limit(PARENTS);
    return [top.with("children"), top.with("children.grandchildren")];
  }
  class Parent extends AsyncActiveRecord.model(tree.parents) {}
  class Child extends AsyncActiveRecord.model(tree.children) {}
  class Grandchild extends AsyncActiveRecord.model(tree.grandchildren) {}
  for (const cls of [Parent, Child, Grandchild]) cls.configure(backend);
  const top = Parent.query().orderBy("id").limit(PARENTS);
  return [top.with("children"), top.with("children.grandchildren")];
}

/** Each timed sample runs a workload this many times, so that one sample is long enough to time well. */
const REPEAT = 10;

/** `run` done `REPEAT` times, one after another. */
function repeated(run: () => unknown): () => Promise<void> {
  return async () => {
    for (let i = 0; i < REPEAT; i++) await run();
  };
}

async function benchWith(
  group: string,
  raw: RawDriver,
  backend: Backend,
  mode: "sync" | "async",
): Promise<ContestResult[]> {
  const [one, two] = eagerQueries(backend, mode);
  const label = mode === "sync" ? "ActiveRecord" : "AsyncActiveRecord";
  return await contest(
    group,
    [
      {
        name: `eager: ${PARENTS} parents x 10 children (x${REPEAT}; raw: by hand, object rows)`,
        raw: { label: `${raw.label} by hand`, run: repeated(() => rawOneLevel(raw)) },
        others: [{ label, run: repeated(() => one.all()) }],
      },
      {
        name: `eager: 2 levels, ${PARENTS} x 10 x 2 (x${REPEAT})`,
        raw: { label: `${raw.label} by hand`, run: repeated(() => rawTwoLevels(raw)) },
        others: [{ label, run: repeated(() => two.all()) }],
      },
    ],
    21,
    5,
  );
}

/** node:sqlite in memory: `with()` beside prepared statements returning object rows (its default). */
export async function eagerSqlite(): Promise<ContestResult[]> {
  const db = new DatabaseSync(":memory:");
  await fill((sql) => db.exec(sql));
  const statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  const prepared = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!;
  const raw: RawDriver = {
    label: "node:sqlite",
    rows: (sql, params) => prepared(sql).all(...(params as number[])) as Row[],
    placeholder: () => "?",
  };
  try {
    return await benchWith("eager sqlite", raw, new SQLiteBackend(db as never), "sync");
  } finally {
    db.close();
  }
}

/** sql.js in memory: `with()` beside prepared statements stepped into objects. */
export async function eagerSqlJs(): Promise<ContestResult[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  await fill((sql) => db.exec(sql));
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  const raw: RawDriver = {
    label: "sql.js",
    rows: (sql, params) => {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, statement = db.prepare(sql));
      statement.bind(params as number[]);
      const names = statement.getColumnNames();
      const out: Row[] = [];
      while (statement.step()) {
        const values = statement.get();
        const row: Row = {};
        for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
        out.push(row);
      }
      return out;
    },
    placeholder: () => "?",
  };
  try {
    return await benchWith("eager sql.js", raw, new SqlJsBackend(db as never), "sync");
  } finally {
    db.close();
  }
}

const TABLES = ["bench_grandchildren", "bench_children", "bench_parents"];

/** PostgreSQL at `PG_URL`: `with()` beside postgres.js with prepared statements and object rows. */
export async function eagerPostgres(): Promise<ContestResult[]> {
  const url = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  const backend = new PostgresBackend(url, { max: 4 });
  try {
    for (const table of TABLES) await sql.unsafe(`drop table if exists ${table}`);
    await fill((text) => sql.unsafe(text));
    const raw: RawDriver = {
      label: "postgres.js",
      rows: async (text, params) =>
        [...await sql.unsafe(text, params as number[], { prepare: true })] as Row[],
      placeholder: (n) => `$${n}`,
    };
    const results = await benchWith("eager postgres", raw, backend, "async");
    for (const table of TABLES) await sql.unsafe(`drop table ${table}`);
    return results;
  } finally {
    await sql.end();
    await backend.close();
  }
}

if (import.meta.main) {
  const { reportContests } = await import("./contest.ts");
  const results = [...await eagerSqlite(), ...await eagerSqlJs(), ...await eagerPostgres()];
  reportContests(results);
}
