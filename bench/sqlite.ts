/** Embedded SQLite: a raw driver beside ActiveRecord on in-memory databases with the same data. */
import { DatabaseSync } from "node:sqlite";
import { ActiveRecord, type Backend, column, defineSchema } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { SqlJsBackend } from "../backends/sqljs.ts";
import initSqlJs from "sql.js";
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

/** One row of the bench data, as the ORM takes it. */
export interface BenchRow {
  name: string;
  email: string;
  age: number;
  isActive: boolean;
  createdAt: Date;
}

/** The row for index `i`. */
export function userRow(i: number): BenchRow {
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
const INSERT = (table: string) =>
  `insert into ${table} (name, email, age, is_active, created_at) values (?, ?, ?, ?, ?)`;
const BY_KEY = "select id, name, email, age, is_active, created_at from bench_users where id = ?";
const PAGE = "select id, name, email, age, is_active, created_at from bench_users limit 1000";

/** What the raw side of an embedded driver does, the fast way its documentation shows. */
interface RawEmbedded {
  readonly label: string;
  exec(sql: string): void;
  /** Returns a function that inserts one row into `table`. */
  inserter(table: string): (row: unknown[]) => void;
  findOne(id: number): unknown;
  page(): unknown;
  close(): void;
}

/** Prepares each statement once, on first use (the tables exist only once the bench has made them). */
function preparedBy<S>(prepare: (sql: string) => S): (sql: string) => S {
  const statements = new Map<string, S>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, statement = prepare(sql));
    return statement;
  };
}

function rawValues(r: BenchRow): unknown[] {
  return [r.name, r.email, r.age, r.isActive ? 1 : 0, r.createdAt.toISOString()];
}

async function benchEmbedded(group: string, raw: RawEmbedded, backend: Backend & { close(): unknown }) {
  raw.exec(DDL("bench_users"));
  raw.exec(DDL("bench_writes"));
  class User extends ActiveRecord.model(benchUsers) {}
  class Write extends ActiveRecord.model(benchWrites) {}
  User.configure(backend);
  Write.configure(backend);
  User.createTable();
  Write.createTable();
  const fill = (table: string) => {
    const insert = raw.inserter(table);
    return () => {
      raw.exec("begin");
      for (let i = 0; i < ROWS; i++) insert(rawValues(userRow(i)));
      raw.exec("commit");
    };
  };
  fill("bench_users")();
  User.transaction(() => {
    for (let i = 0; i < ROWS; i++) User.create(userRow(i));
  });
  const rawSide = (run: () => unknown) => ({ label: raw.label, run });
  const orm = (run: () => unknown) => ({ label: "ActiveRecord", run });
  try {
    return await measure(group, [
      {
        name: `insert ${ROWS} rows in one transaction`,
        baseline: rawSide(fill("bench_writes")),
        candidate: orm(() =>
          Write.transaction(() => {
            for (let i = 0; i < ROWS; i++) Write.create(userRow(i));
          })
        ),
      },
      {
        name: `findOne by key x${ROWS}`,
        baseline: rawSide(() => {
          for (let id = 1; id <= ROWS; id++) if (!raw.findOne(id)) throw new Error(`no row ${id}`);
        }),
        candidate: orm(() => {
          for (let id = 1; id <= ROWS; id++) if (!User.findOne(id)) throw new Error(`no row ${id}`);
        }),
      },
      {
        name: "select 1,000 rows into models x100",
        baseline: rawSide(() => {
          for (let i = 0; i < 100; i++) raw.page();
        }),
        candidate: orm(() => {
          for (let i = 0; i < 100; i++) User.query().limit(1000).all();
        }),
      },
    ]);
  } finally {
    raw.close();
    await backend.close();
  }
}

/** node:sqlite, raw: prepared statements, object rows (its default). */
export function benchSqlite(): Promise<Result[]> {
  const db = new DatabaseSync(":memory:");
  const prepared = preparedBy((sql) => db.prepare(sql));
  return benchEmbedded("sqlite", {
    label: "node:sqlite",
    exec: (sql) => db.exec(sql),
    inserter: (table) => {
      const statement = prepared(INSERT(table));
      return (row) => statement.run(...(row as never[]));
    },
    findOne: (id) => prepared(BY_KEY).get(id),
    page: () => prepared(PAGE).all(),
    close: () => db.close(),
  }, new SQLiteBackend(":memory:"));
}

/** sql.js, raw: prepared statements, array rows through `get()` (its fast path). */
export async function benchSqlJs(): Promise<Result[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  const prepared = preparedBy((sql) => db.prepare(sql));
  return benchEmbedded("sql.js", {
    label: "sql.js",
    exec: (sql) => db.exec(sql),
    inserter: (table) => {
      const statement = prepared(INSERT(table));
      return (row) => statement.run(row as never[]);
    },
    findOne: (id) => {
      const statement = prepared(BY_KEY);
      const row = statement.get([id]);
      statement.reset();
      return row.length ? row : undefined;
    },
    page: () => {
      const statement = prepared(PAGE);
      const rows: unknown[][] = [];
      while (statement.step()) rows.push(statement.get());
      statement.reset();
      return rows;
    },
    close: () => db.close(),
  }, await SqlJsBackend.open());
}
