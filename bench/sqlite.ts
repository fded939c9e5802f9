/** Raw node:sqlite beside ActiveRecord on in-memory databases with the same data. */
import { DatabaseSync } from "node:sqlite";
import { ActiveRecord, column, defineSchema } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { measure, type Result } from "./measure.ts";

const columns = {
  id: column.integer().primaryKey(),
  name: column.text(),
  email: column.text(),
  age: column.integer(),
  isActive: column.boolean(),
  createdAt: column.datetime(),
};
/** Read workloads use this table, filled once. */
export const benchUsers = defineSchema("bench_users", columns);
/** The insert workload writes here, so reads always find their rows. */
export const benchWrites = defineSchema("bench_writes", columns);

export const ROWS = 10_000;

/** The row for index `i`, as the ORM takes it. */
export function userRow(i: number): {
  name: string;
  email: string;
  age: number;
  isActive: boolean;
  createdAt: Date;
} {
  return {
    name: `user ${i}`,
    email: `user${i}@example.com`,
    age: 20 + (i % 50),
    isActive: i % 3 !== 0,
    createdAt: new Date(1_700_000_000_000 + i * 1000),
  };
}

const DDL = (table: string) =>
  `create table ${table} (id integer primary key autoincrement, name text not null, email text not null, ` +
  "age integer not null, is_active integer not null, created_at text not null)";

export function benchSqlite(): Promise<Result[]> {
  const raw = new DatabaseSync(":memory:");
  raw.exec(DDL("bench_users"));
  raw.exec(DDL("bench_writes"));
  const backend = new SQLiteBackend(":memory:");
  class User extends ActiveRecord.model(benchUsers) {}
  class Write extends ActiveRecord.model(benchWrites) {}
  User.configure(backend);
  Write.configure(backend);
  User.createTable();
  Write.createTable();

  const rawInsertInto = (table: string) => {
    const insert = raw.prepare(
      `insert into ${table} (name, email, age, is_active, created_at) values (?, ?, ?, ?, ?)`,
    );
    return () => {
      raw.exec("begin");
      for (let i = 0; i < ROWS; i++) {
        const r = userRow(i);
        insert.run(r.name, r.email, r.age, r.isActive ? 1 : 0, r.createdAt.toISOString());
      }
      raw.exec("commit");
    };
  };
  rawInsertInto("bench_users")();
  User.transaction(() => {
    for (let i = 0; i < ROWS; i++) User.create(userRow(i));
  });

  const rawWrite = rawInsertInto("bench_writes");
  const byKey = raw.prepare(
    "select id, name, email, age, is_active, created_at from bench_users where id = ?",
  );
  const page = raw.prepare("select id, name, email, age, is_active, created_at from bench_users limit 1000");

  const raw_ = (run: () => unknown) => ({ label: "node:sqlite", run });
  const orm = (run: () => unknown) => ({ label: "ActiveRecord", run });
  return measure("sqlite", [
    {
      name: `insert ${ROWS} rows in one transaction`,
      baseline: raw_(rawWrite),
      candidate: orm(() =>
        Write.transaction(() => {
          for (let i = 0; i < ROWS; i++) Write.create(userRow(i));
        })
      ),
    },
    {
      name: `findOne by key x${ROWS}`,
      baseline: raw_(() => {
        for (let id = 1; id <= ROWS; id++) if (!byKey.get(id)) throw new Error(`no row ${id}`);
      }),
      candidate: orm(() => {
        for (let id = 1; id <= ROWS; id++) if (!User.findOne(id)) throw new Error(`no row ${id}`);
      }),
    },
    {
      name: "select 1,000 rows into models x100",
      baseline: raw_(() => {
        for (let i = 0; i < 100; i++) page.all();
      }),
      candidate: orm(() => {
        for (let i = 0; i < 100; i++) User.query().limit(1000).all();
      }),
    },
  ]).finally(() => {
    raw.close();
    backend.close();
  });
}
