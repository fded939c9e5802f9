/**
 * Embedded SQLite (node:sqlite, sql.js): the raw driver, this library (sync, and async for reads),
 * Drizzle (prepared statements and the query builder) and Kysely, side by side on one database.
 * Input rows are built before any timing; every side encodes them (booleans, ISO dates) and decodes
 * what it reads the same way.
 */
import { DatabaseSync } from "node:sqlite";
import initSqlJs from "sql.js";
import { drizzle as drizzleNode } from "drizzle-orm/node-sqlite";
import { drizzle as drizzleSqlJs } from "drizzle-orm/sql-js";
import { eq, sql as dsql } from "drizzle-orm";
import { Kysely, SqliteDialect } from "kysely";
import { ActiveRecord, AsyncActiveRecord, type Backend, column, defineSchema } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { SqlJsBackend } from "../backends/sqljs.ts";
import { type Contender, contest, type ContestResult } from "./contest.ts";
import {
  decodeRow,
  kyselyNodeSqlite,
  kyselySqlJs,
  type KyselyTables,
  sqliteUsers,
  type UserRow,
} from "./peers.ts";

/** The bench table. */
export const benchUsers = defineSchema("bench_users", {
  id: column.integer().primaryKey(),
  name: column.text(),
  email: column.text(),
  age: column.integer(),
  isActive: column.boolean(),
  createdAt: column.datetime(),
});

/** One input row. */
export interface BenchRow {
  name: string;
  email: string;
  age: number;
  isActive: boolean;
  createdAt: Date;
}

/** The input row `i`. */
export function userRow(i: number): BenchRow {
  return {
    name: `user ${i}`,
    email: `user${i}@example.com`,
    age: 20 + (i % 50),
    isActive: i % 3 !== 0,
    createdAt: new Date(1_700_000_000_000 + i * 1000),
  };
}

const DDL =
  "create table bench_users (id integer primary key autoincrement, name text not null, email text not null, " +
  "age integer not null, is_active integer not null, created_at text not null)";
const INSERT = "insert into bench_users (name, email, age, is_active, created_at) values (?, ?, ?, ?, ?)";
const BY_KEY = "select id, name, email, age, is_active, created_at from bench_users where id = ?";
const UPDATE = "update bench_users set age = ? where id = ?";
const PAGE = "select id, name, email, age, is_active, created_at from bench_users limit 1000";

/** What the raw side of a driver does, the fast way its documentation shows. */
interface RawSide {
  readonly label: string;
  exec(sql: string): void;
  insert(row: BenchRow): void;
  find(id: number): UserRow;
  update(id: number, age: number): void;
  page(): UserRow[];
}

const ROWS = 10_000;
const WRITES = 4_000;
const FINDS = 5_000;
const encodeArgs = (r: BenchRow) =>
  [r.name, r.email, r.age, r.isActive ? 1 : 0, r.createdAt.toISOString()] as const;

/** The contests of one embedded driver; `tx` wraps a write workload in a transaction it rolls back. */
async function embeddedContests(
  group: string,
  raw: RawSide,
  backend: Backend,
  drizzleDb: ReturnType<typeof drizzleNode>,
  kysely: Kysely<KyselyTables>,
): Promise<ContestResult[]> {
  class User extends ActiveRecord.model(benchUsers) {}
  class AsyncUser extends AsyncActiveRecord.model(benchUsers) {}
  User.configure(backend);
  await AsyncUser.configure(backend);
  raw.exec(DDL);
  const inputs = Array.from({ length: WRITES }, (_, i) => userRow(i));
  User.transaction(() => {
    for (let i = 0; i < ROWS; i++) User.create(userRow(i));
  });
  const records = User.query().orderBy("id").limit(WRITES).all();
  const ids = Array.from({ length: FINDS }, (_, i) => (i % ROWS) + 1);
  const rolledBack = (f: () => void) => () => {
    raw.exec("begin");
    try {
      f();
    } finally {
      raw.exec("rollback");
    }
  };
  const rolledBackAsync = (f: () => Promise<void>) => async () => {
    raw.exec("begin");
    try {
      await f();
    } finally {
      raw.exec("rollback");
    }
  };
  const ROLLBACK = new Error("rollback");
  const inLibraryTransaction = (f: () => void) => () => {
    try {
      User.transaction(() => {
        f();
        throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
  };
  const d = drizzleDb;
  const u = sqliteUsers;
  const preparedInsert = d.insert(u).values({
    name: dsql.placeholder("name"),
    email: dsql.placeholder("email"),
    age: dsql.placeholder("age"),
    isActive: dsql.placeholder("isActive"),
    createdAt: dsql.placeholder("createdAt"),
  }).prepare();
  const preparedFind = d.select().from(u).where(eq(u.id, dsql.placeholder("id"))).prepare();
  const preparedUpdate = d.update(u).set({ age: dsql.placeholder("age") as never }).where(
    eq(u.id, dsql.placeholder("id")),
  )
    .prepare();
  const preparedPage = d.select().from(u).limit(1000).prepare();
  const k = kysely;
  const kyselyRow = (r: BenchRow) => ({
    name: r.name,
    email: r.email,
    age: r.age,
    is_active: r.isActive ? 1 : 0,
    created_at: r.createdAt.toISOString(),
  });
  const named = (label: string, run: Contender["run"]): Contender => ({ label, run });

  const contests = [
    {
      name: `create one by one x${WRITES}`,
      raw: named(raw.label, rolledBack(() => inputs.forEach((r) => raw.insert(r)))),
      others: [
        named("ActiveRecord", inLibraryTransaction(() => inputs.forEach((r) => User.create(r)))),
        named(
          "Drizzle (prepared)",
          rolledBack(() =>
            inputs.forEach((r) => preparedInsert.run(r as unknown as Record<string, unknown>))
          ),
        ),
        named("Drizzle", rolledBack(() => inputs.forEach((r) => d.insert(u).values(r).run()))),
        named(
          "Kysely",
          rolledBackAsync(async () => {
            for (const r of inputs) await k.insertInto("bench_users").values(kyselyRow(r)).execute();
          }),
        ),
      ],
    },
    {
      name: `findOne by key x${FINDS}`,
      raw: named(raw.label, () => ids.forEach((id) => raw.find(id))),
      others: [
        named("ActiveRecord", () => ids.forEach((id) => User.findOne(id))),
        named("Drizzle (prepared)", () => ids.forEach((id) => preparedFind.get({ id }))),
        named("Drizzle", () => ids.forEach((id) => d.select().from(u).where(eq(u.id, id)).get())),
        named("Kysely", async () => {
          for (const id of ids) {
            decodeRow(
              (await k.selectFrom("bench_users").selectAll().where("id", "=", id).executeTakeFirst())!,
            );
          }
        }),
      ],
    },
    {
      name: `save (update one record) x${WRITES}`,
      raw: named(raw.label, rolledBack(() => records.forEach((r) => raw.update(r.id, r.age + 1)))),
      others: [
        named(
          "ActiveRecord",
          inLibraryTransaction(() =>
            records.forEach((r) => {
              r.age = r.age + 1;
              r.save();
            })
          ),
        ),
        named(
          "Drizzle (prepared)",
          rolledBack(() => records.forEach((r) => preparedUpdate.run({ id: r.id, age: r.age + 1 }))),
        ),
        named(
          "Drizzle",
          rolledBack(() =>
            records.forEach((r) => d.update(u).set({ age: r.age + 1 }).where(eq(u.id, r.id)).run())
          ),
        ),
        named(
          "Kysely",
          rolledBackAsync(async () => {
            for (const r of records) {
              await k.updateTable("bench_users").set({ age: r.age + 1 }).where("id", "=", r.id).execute();
            }
          }),
        ),
      ],
    },
    {
      name: `updateAll by key x${WRITES}`,
      raw: named(raw.label, rolledBack(() => records.forEach((r, i) => raw.update(r.id, i % 50)))),
      others: [
        named(
          "ActiveRecord",
          inLibraryTransaction(() =>
            records.forEach((r, i) => User.updateAll({ age: i % 50 }, { id: r.id }))
          ),
        ),
      ],
    },
    {
      name: `insertMany ${WRITES} rows (raw: one-row loop)`,
      raw: named(raw.label, rolledBack(() => inputs.forEach((r) => raw.insert(r)))),
      others: [
        named("ActiveRecord", inLibraryTransaction(() => User.insertMany(inputs))),
        named("Drizzle", rolledBack(() => d.insert(u).values(inputs).run())),
        named(
          "Kysely",
          rolledBackAsync(async () => {
            await k.insertInto("bench_users").values(inputs.map(kyselyRow)).execute();
          }),
        ),
      ],
    },
    {
      name: "select 1,000 rows x5",
      raw: named(raw.label, () => {
        for (let i = 0; i < 5; i++) raw.page();
      }),
      others: [
        named("ActiveRecord", () => {
          for (let i = 0; i < 5; i++) User.query().limit(1000).all();
        }),
        named("Drizzle (prepared)", () => {
          for (let i = 0; i < 5; i++) preparedPage.all();
        }),
        named("Drizzle", () => {
          for (let i = 0; i < 5; i++) d.select().from(u).limit(1000).all();
        }),
        named("Kysely", async () => {
          for (let i = 0; i < 5; i++) {
            (await k.selectFrom("bench_users").selectAll().limit(1000).execute()).map(decodeRow);
          }
        }),
      ],
    },
    {
      name: `AsyncActiveRecord findOne x${FINDS} (raw: the sync model)`,
      raw: named("ActiveRecord", () => ids.forEach((id) => User.findOne(id))),
      others: [
        named("AsyncActiveRecord", async () => {
          for (const id of ids) await AsyncUser.findOne(id);
        }),
      ],
    },
  ];
  return await contest(group, contests, 31, 3);
}

/** node:sqlite, raw: prepared statements, object rows (its default), decoded. */
export async function benchNodeSqlite(): Promise<ContestResult[]> {
  const db = new DatabaseSync(":memory:");
  const statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  const prepared = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!;
  const raw: RawSide = {
    label: "node:sqlite",
    exec: (sql) => db.exec(sql),
    insert: (r) => prepared(INSERT).run(...encodeArgs(r)),
    find: (id) => decodeRow(prepared(BY_KEY).get(id) as Record<string, unknown>),
    update: (id, age) => prepared(UPDATE).run(age, id),
    page: () => (prepared(PAGE).all() as Record<string, unknown>[]).map(decodeRow),
  };
  const kysely = new Kysely<KyselyTables>({
    dialect: new SqliteDialect({ database: kyselyNodeSqlite(db as never) }),
  });
  return await embeddedContests(
    "node:sqlite",
    raw,
    new SQLiteBackend(db as never),
    drizzleNode({ client: db }),
    kysely,
  );
}

/** sql.js, raw: prepared statements stepped with `get()` (its fast path), decoded. */
export async function benchSqlJs(): Promise<ContestResult[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  const prepared = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!;
  const rowOf = (v: unknown[]) =>
    decodeRow({ id: v[0], name: v[1], email: v[2], age: v[3], is_active: v[4], created_at: v[5] });
  const raw: RawSide = {
    label: "sql.js",
    exec: (sql) => db.exec(sql),
    insert: (r) => prepared(INSERT).run(encodeArgs(r) as never),
    find: (id) => {
      const s = prepared(BY_KEY);
      const row = rowOf(s.get([id]));
      s.reset();
      return row;
    },
    update: (id, age) => prepared(UPDATE).run([age, id]),
    page: () => {
      const s = prepared(PAGE);
      const rows: UserRow[] = [];
      while (s.step()) rows.push(rowOf(s.get()));
      s.reset();
      return rows;
    },
  };
  const kysely = new Kysely<KyselyTables>({
    dialect: new SqliteDialect({ database: kyselySqlJs(db as never) }),
  });
  const backend = new SqlJsBackend(db as never);
  return await embeddedContests("sql.js", raw, backend, drizzleSqlJs(db) as never, kysely);
}
