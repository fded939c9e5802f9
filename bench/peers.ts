/**
 * The peers, set up on the same databases as this library's bench: Drizzle (1.0 rc: it has a
 * node:sqlite driver) and Kysely. Bench-only: nothing here enters the published files. Both decode
 * the way the library does (booleans, dates), so that every side does the same work.
 */
import { customType, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bigint as pgBigint, boolean, pgTable, text as pgText, timestamp } from "drizzle-orm/pg-core";
import {
  bigint as myBigint,
  boolean as myBoolean,
  datetime,
  longtext,
  mysqlTable,
} from "drizzle-orm/mysql-core";
import type { Generated, SqliteDatabase, SqliteStatement } from "kysely";

/** The bench table as Drizzle sees it on SQLite: booleans as 0/1, datetimes as ISO text read back as Dates. */
const isoDate = customType<{ data: Date; driverData: string }>({
  dataType: () => "text",
  fromDriver: (value) => new Date(value),
  toDriver: (value) => value.toISOString(),
});

/** `bench_users` for Drizzle on SQLite. */
export const sqliteUsers = sqliteTable("bench_users", {
  id: integer().primaryKey(),
  name: text().notNull(),
  email: text().notNull(),
  age: integer().notNull(),
  isActive: integer("is_active", { mode: "boolean" }).notNull(),
  createdAt: isoDate("created_at").notNull(),
});

/** `bench_users` for Drizzle on PostgreSQL. */
export const pgUsers = pgTable("bench_users", {
  id: pgBigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  name: pgText().notNull(),
  email: pgText().notNull(),
  age: pgBigint({ mode: "number" }).notNull(),
  isActive: boolean("is_active").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

/** `bench_users` for Drizzle on MySQL. */
export const mysqlUsers = mysqlTable("bench_users", {
  id: myBigint({ mode: "number" }).primaryKey().autoincrement(),
  name: longtext().notNull(),
  email: longtext().notNull(),
  age: myBigint({ mode: "number" }).notNull(),
  isActive: myBoolean("is_active").notNull(),
  createdAt: datetime("created_at", { fsp: 6 }).notNull(),
});

/** The columns Kysely reads and writes. */
export interface KyselyTables {
  bench_users: {
    id: Generated<number>;
    name: string;
    email: string;
    age: number;
    is_active: number | boolean;
    created_at: string | Date;
  };
}

/** A row read raw, decoded as the library decodes it. */
export interface UserRow {
  id: number;
  name: string;
  email: string;
  age: number;
  isActive: boolean;
  createdAt: Date;
}

/** Decodes a raw row (snake_case columns, 0/1 or boolean, ISO text or Date). */
export function decodeRow(row: Record<string, unknown>): UserRow {
  const active = row.is_active;
  const created = row.created_at;
  return {
    id: Number(row.id),
    name: row.name as string,
    email: row.email as string,
    age: Number(row.age),
    isActive: active === true || active === 1 || active === 1n,
    createdAt: created instanceof Date ? created : new Date(created as string),
  };
}

/**
 * node:sqlite for Kysely's SQLite dialect (which expects better-sqlite3's shape). Statements are
 * kept by SQL text, which is kinder to Kysely than better-sqlite3 (which prepares each time).
 */
export function kyselyNodeSqlite(db: {
  prepare(sql: string): {
    all(...p: never[]): unknown[];
    run(...p: never[]): { changes: number | bigint; lastInsertRowid: number | bigint };
    iterate(...p: never[]): IterableIterator<unknown>;
    columns(): unknown[];
  };
}): SqliteDatabase {
  return kept((sql) => {
    const s = db.prepare(sql);
    return {
      reader: s.columns().length > 0,
      all: (p) => s.all(...(p as never[])),
      run: (p) => s.run(...(p as never[])),
      iterate: (p) => s.iterate(...(p as never[])),
    };
  });
}

/** sql.js for Kysely's SQLite dialect: statements kept by SQL text, rows as objects. */
export function kyselySqlJs(db: {
  prepare(sql: string): {
    bind(values: unknown[]): boolean;
    step(): boolean;
    getAsObject(): Record<string, unknown>;
    getColumnNames(): string[];
    reset(): void;
  };
  getRowsModified(): number;
  exec(sql: string): { values: unknown[][] }[];
}): SqliteDatabase {
  return kept((sql) => {
    const s = db.prepare(sql);
    const rows = (p: ReadonlyArray<unknown>) => {
      s.bind(p as unknown[]);
      const out: unknown[] = [];
      while (s.step()) out.push(s.getAsObject());
      s.reset();
      return out;
    };
    return {
      reader: s.getColumnNames().length > 0,
      all: rows,
      run: (p) => {
        rows(p);
        const id = db.exec("select last_insert_rowid()")[0].values[0][0] as number;
        return { changes: db.getRowsModified(), lastInsertRowid: id };
      },
      iterate: (p) => rows(p)[Symbol.iterator]() as IterableIterator<unknown>,
    };
  });
}

/** A database for Kysely's SQLite dialect whose statements, made by `make`, are kept by SQL text. */
function kept(make: (sql: string) => SqliteStatement): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close() {},
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, statement = make(sql));
      return statement;
    },
  };
}
