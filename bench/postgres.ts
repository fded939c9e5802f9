/** Raw postgres.js beside AsyncActiveRecord on the same PostgreSQL table; and parallel vs sequential. */
import postgres from "postgres";
import { AsyncActiveRecord } from "../mod.ts";
import { PostgresBackend } from "../backends/postgres.ts";
import { measure, type Result } from "./measure.ts";
import { benchUsers, userRow } from "./sqlite.ts";

const URL = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
const LOOKUPS = 1000;

export async function benchPostgres(): Promise<Result[]> {
  const sql = postgres(URL, { max: 10, onnotice: () => {} });
  const backend = new PostgresBackend(URL, { max: 10 });
  class User extends AsyncActiveRecord.model(benchUsers) {}
  try {
    await User.configure(backend);
    await User.dropTable({ ifExists: true });
    await User.createTable();
    await User.insertMany(Array.from({ length: 10_000 }, (_, i) => userRow(i)));
    const ids = (await User.query().orderBy("id").limit(LOOKUPS).pluck("id")) as number[];

    // Eight independent questions an HTTP handler might ask at once.
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

    const raw = (run: () => unknown) => ({ label: "postgres.js", run });
    const orm = (run: () => unknown) => ({ label: "AsyncActiveRecord", run });
    return await measure(
      "postgres",
      [
        {
          name: `findOne by key x${LOOKUPS}`,
          baseline: raw(async () => {
            for (const id of ids) {
              const [row] =
                await sql`select id, name, email, age, is_active, created_at from bench_users where id = ${id}`;
              if (!row) throw new Error("missing");
            }
          }),
          candidate: orm(async () => {
            for (const id of ids) if (!await User.findOne(id)) throw new Error("missing");
          }),
        },
        {
          name: "select 1,000 rows into models x10",
          baseline: raw(async () => {
            for (let i = 0; i < 10; i++) {
              await sql`select id, name, email, age, is_active, created_at from bench_users limit 1000`;
            }
          }),
          candidate: orm(async () => {
            for (let i = 0; i < 10; i++) await User.query().limit(1000).all();
          }),
        },
        {
          name: "8 independent queries: Promise.all vs one after another",
          baseline: {
            label: "sequential",
            run: async () => {
              for (const ask of questions) await ask();
            },
          },
          candidate: { label: "Promise.all", run: () => Promise.all(questions.map((ask) => ask())) },
        },
      ],
      15,
      3,
    );
  } finally {
    await User.dropTable({ ifExists: true }).catch(() => {});
    await sql.end();
    await backend.close();
  }
}
