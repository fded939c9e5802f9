/**
 * Server databases: the raw driver (postgres.js, mysql2), AsyncActiveRecord, Drizzle (prepared and
 * builder) and Kysely on the same table: findOne by key, a 1,000-row select, and inserts in one
 * transaction; plus independent queries in parallel on the pool against one after another.
 */
import postgres from "postgres";
import mysql from "mysql2/promise";
import { createPool as createCallbackPool } from "mysql2";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { drizzle as drizzleMysql } from "drizzle-orm/mysql2";
import { eq, sql as dsql } from "drizzle-orm";
import { Kysely, MysqlDialect } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import { AsyncActiveRecord, type Backend } from "../mod.ts";
import { PostgresBackend } from "../backends/postgres.ts";
import { MySQLBackend } from "../backends/mysql.ts";
import { type Contender, contest, type ContestResult } from "./contest.ts";
import { type BenchRow, benchUsers, userRow } from "./embedded.ts";
import { decodeRow, type KyselyTables, mysqlUsers, pgUsers } from "./peers.ts";

const ROWS = 10_000;
// Long samples: a round trip to a server on the same small machine varies by tens of percent from one
// moment to the next; thousands of statements per sample average most of that out.
const FINDS = 2_000;
const INSERTS = 1_000;
const PAGES = 20;
const ROUNDS = 11;
const COLUMNS = "id, name, email, age, is_active, created_at";

/** What the raw side does, as the driver's documentation shows. */
interface RawServer {
  readonly label: string;
  find(id: number): Promise<unknown>;
  page(): Promise<unknown[]>;
  /** Inserts `rows` one by one in one transaction, rolled back. */
  insertAll(rows: readonly BenchRow[]): Promise<void>;
}

interface Peers {
  /** Drizzle's prepared find, page and insert, and the builder. */
  readonly drizzle: {
    find(id: number): Promise<unknown>;
    findBuilt(id: number): Promise<unknown>;
    page(): Promise<unknown>;
    pageBuilt(): Promise<unknown>;
    insertAll(rows: readonly BenchRow[]): Promise<void>;
  };
  readonly kysely: Kysely<KyselyTables>;
}

const ROLLBACK = new Error("rollback");

async function serverContests(
  group: string,
  backend: Backend,
  raw: RawServer,
  peers: Peers,
): Promise<ContestResult[]> {
  class User extends AsyncActiveRecord.model(benchUsers) {}
  await User.configure(backend);
  await User.dropTable({ ifExists: true });
  await User.createTable();
  await User.insertMany(Array.from({ length: ROWS }, (_, i) => userRow(i)));
  const ids = (await User.query().orderBy("id").limit(FINDS).pluck("id")) as number[];
  const inputs = Array.from({ length: INSERTS }, (_, i) => userRow(ROWS + i));
  const k = peers.kysely;
  const named = (label: string, run: Contender["run"]): Contender => ({ label, run });
  const kyselyRow = (r: BenchRow) => ({
    name: r.name,
    email: r.email,
    age: r.age,
    is_active: r.isActive,
    created_at: r.createdAt,
  });
  const questions = [
    () => User.query().where({ isActive: true }).count(),
    () => User.query().where("age > ?", [40]).count(),
    () => User.query().avg("age"),
    () => User.query().max("createdAt"),
    () => User.query().where("email like ?", ["%99%"]).pluck("id"),
    () => User.query().groupBy("age").count("id", "n").aggregate(),
    () => User.query().orderBy("createdAt", "desc").limit(20).all(),
    () => User.query().where("name like ?", ["user 5%"]).count(),
  ];
  try {
    return await contest(
      group,
      [
        {
          name: `findOne by key x${FINDS}`,
          raw: named(raw.label, async () => {
            for (const id of ids) await raw.find(id);
          }),
          others: [
            named("AsyncActiveRecord", async () => {
              for (const id of ids) await User.findOne(id);
            }),
            named("Drizzle (prepared)", async () => {
              for (const id of ids) await peers.drizzle.find(id);
            }),
            named("Drizzle", async () => {
              for (const id of ids) await peers.drizzle.findBuilt(id);
            }),
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
          name: `select 1,000 rows x${PAGES}`,
          raw: named(raw.label, async () => {
            for (let i = 0; i < PAGES; i++) await raw.page();
          }),
          others: [
            named("AsyncActiveRecord", async () => {
              for (let i = 0; i < PAGES; i++) await User.query().limit(1000).all();
            }),
            named("Drizzle (prepared)", async () => {
              for (let i = 0; i < PAGES; i++) await peers.drizzle.page();
            }),
            named("Drizzle", async () => {
              for (let i = 0; i < PAGES; i++) await peers.drizzle.pageBuilt();
            }),
            named("Kysely", async () => {
              for (
                let i = 0;
                i < PAGES;
                i++
              ) (await k.selectFrom("bench_users").selectAll().limit(1000).execute()).map(decodeRow);
            }),
          ],
        },
        {
          name: `insert one by one in a transaction x${INSERTS}`,
          raw: named(raw.label, () => raw.insertAll(inputs)),
          others: [
            named("AsyncActiveRecord", async () => {
              try {
                await User.transaction(async () => {
                  for (const r of inputs) await User.create(r);
                  throw ROLLBACK;
                });
              } catch (error) {
                if (error !== ROLLBACK) throw error;
              }
            }),
            named("Drizzle", () => peers.drizzle.insertAll(inputs)),
            named("Kysely", async () => {
              try {
                await k.transaction().execute(async (tx) => {
                  for (const r of inputs) await tx.insertInto("bench_users").values(kyselyRow(r)).execute();
                  throw ROLLBACK;
                });
              } catch (error) {
                if (error !== ROLLBACK) throw error;
              }
            }),
          ],
        },
        {
          name: "8 independent queries (raw: one after another)",
          raw: named("AsyncActiveRecord, sequential", async () => {
            for (const question of questions) await question();
          }),
          others: [named("AsyncActiveRecord, Promise.all", () => Promise.all(questions.map((q) => q())))],
        },
      ],
      ROUNDS,
      5,
      true,
    );
  } finally {
    await User.dropTable({ ifExists: true });
  }
}

/** A Drizzle database or table of either server dialect (they differ only in their types). */
// deno-lint-ignore no-explicit-any
type AnyDrizzle = any;

/** Drizzle's side: the prepared find and page, the builder's, and inserts in a transaction rolled back. */
function drizzleSide(
  d: AnyDrizzle,
  u: AnyDrizzle,
  find: { execute(values: { id: number }): Promise<unknown> },
  page: { execute(): Promise<unknown> },
): Peers["drizzle"] {
  return {
    find: (id) => find.execute({ id }),
    findBuilt: (id) => d.select().from(u).where(eq(u.id, id)),
    page: () => page.execute(),
    pageBuilt: () => d.select().from(u).limit(1000),
    insertAll: async (rows) => {
      try {
        await d.transaction(async (tx: AnyDrizzle) => {
          for (const r of rows) await tx.insert(u).values(r);
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
    },
  };
}

/** PostgreSQL at `PG_URL` through postgres.js. */
export async function benchPostgres(): Promise<ContestResult[]> {
  const url = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  const peerSql = postgres(url, { max: 10, onnotice: () => {} });
  const backend = new PostgresBackend(url, { max: 10 });
  const d = drizzlePostgres({ client: peerSql });
  const u = pgUsers;
  const find = d.select().from(u).where(eq(u.id, dsql.placeholder("id"))).prepare("find");
  const page = d.select().from(u).limit(1000).prepare("page");
  const raw: RawServer = {
    label: "postgres.js",
    find: async (id) =>
      decodeRow(
        (await sql.unsafe(`select ${COLUMNS} from bench_users where id = $1`, [id], { prepare: true }))[0],
      ),
    page: async () =>
      [...await sql.unsafe(`select ${COLUMNS} from bench_users limit 1000`, [], { prepare: true })].map(
        decodeRow,
      ),
    insertAll: async (rows) => {
      try {
        await sql.begin(async (tx) => {
          for (const r of rows) {
            await tx.unsafe(
              "insert into bench_users (name, email, age, is_active, created_at) values ($1, $2, $3, $4, $5)",
              [r.name, r.email, r.age, r.isActive, r.createdAt.toISOString()],
              { prepare: true },
            );
          }
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
    },
  };
  const kysely = new Kysely<KyselyTables>({
    dialect: new PostgresJSDialect({ postgres: postgres(url, { max: 10, onnotice: () => {} }) }),
  });
  try {
    return await serverContests("postgres", backend, raw, {
      drizzle: drizzleSide(d, u, find, page),
      kysely,
    });
  } finally {
    await sql.end();
    await peerSql.end();
    await kysely.destroy();
    await backend.close();
  }
}

/** MySQL / MariaDB at `MYSQL_URL` through mysql2. */
export async function benchMysql(): Promise<ContestResult[]> {
  const url = Deno.env.get("MYSQL_URL") ?? "mysql://root@127.0.0.1:3306/test";
  const pool = mysql.createPool({ uri: url, connectionLimit: 10 });
  const peerPool = mysql.createPool({ uri: url, connectionLimit: 10 });
  const backend = new MySQLBackend(url, { max: 10 });
  const d = drizzleMysql({ client: peerPool });
  const u = mysqlUsers;
  const find = d.select().from(u).where(eq(u.id, dsql.placeholder("id"))).prepare();
  const page = d.select().from(u).limit(1000).prepare();
  const raw: RawServer = {
    label: "mysql2",
    find: async (id) => {
      const [rows] = await pool.execute(`select ${COLUMNS} from bench_users where id = ?`, [id]);
      return decodeRow((rows as Record<string, unknown>[])[0]);
    },
    page: async () => {
      const [rows] = await pool.execute(`select ${COLUMNS} from bench_users limit 1000`);
      return (rows as Record<string, unknown>[]).map(decodeRow);
    },
    insertAll: async (rows) => {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        for (const r of rows) {
          await connection.execute(
            "insert into bench_users (name, email, age, is_active, created_at) values (?, ?, ?, ?, ?)",
            [r.name, r.email, r.age, r.isActive, r.createdAt],
          );
        }
        await connection.rollback();
      } finally {
        connection.release();
      }
    },
  };
  const kysely = new Kysely<KyselyTables>({
    // Kysely drives mysql2's callback pool (a promise pool never answers it).
    dialect: new MysqlDialect({ pool: createCallbackPool({ uri: url, connectionLimit: 10 }) as never }),
  });
  try {
    return await serverContests("mysql", backend, raw, {
      drizzle: drizzleSide(d, u, find, page),
      kysely,
    });
  } finally {
    await pool.end();
    await peerPool.end();
    await kysely.destroy();
    await backend.close();
  }
}
