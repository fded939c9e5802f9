/**
 * Compiled SQL for every dialect, compared with golden files, without any server: a change to the
 * SQL a dialect writes shows up here even where its database is not running. Rewrite the goldens
 * with `UPDATE_GOLDENS=1 deno task test tests/dialect/golden.test.ts` and review the diff.
 */
import assert from "node:assert/strict";
import {
  ActiveQuery,
  column,
  defineSchema,
  type Dialect,
  DriverError,
  MySQLDialect,
  PostgresDialect,
  sql,
  SQLiteDialect,
} from "../../mod.ts";
import type { QuerySource } from "../../src/query/source.ts";
import type { Engine } from "../../src/run/engine.ts";
import { tableSql } from "../../src/dialect/table_sql.ts";
import { createTableSql } from "../../src/dialect/ddl.ts";
import { SqlWriter } from "../../src/sql/writer.ts";

const users = defineSchema("users", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(100),
  email: column.text().unique(),
  age: column.integer().nullable(),
  isActive: column.boolean().default(true),
  createdAt: column.datetime().defaultNow(),
});

const everything = defineSchema("kinds", {
  id: column.uuid().primaryKey(),
  big: column.bigint(),
  real: column.real().nullable(),
  money: column.decimal(12, 2).default("0"),
  wide: column.decimal().nullable(),
  flag: column.boolean().default(false),
  day: column.date().defaultNow(),
  clock: column.time().nullable(),
  doc: column.json<string[]>().nullable(),
  blob: column.bytes().nullable(),
  ownerId: column.integer().references("users", "id", { onDelete: "cascade" }),
});

/** A query source that can compile but never runs: goldens need no database. */
function offline(dialect: Dialect): QuerySource {
  const engine = {
    mode: "sync",
    dialect,
    run: () => {
      throw new Error("offline");
    },
    stream: () => {
      throw new Error("offline");
    },
  } as unknown as Engine<"sync">;
  const source: QuerySource = {
    name: "User",
    schema: users,
    engine: () => engine,
    hydrate: () => [],
    related: () => source,
    value: () => undefined,
    setLoaded: () => {},
    scopes: () => [],
    relatedScopes: () => [],
  };
  return source;
}

type Entry = readonly [name: string, text: string, params?: readonly unknown[]];

function statements(dialect: Dialect): Entry[] {
  const q = () => new ActiveQuery(offline(dialect));
  const select = (name: string, query: ActiveQuery<"sync", unknown>): Entry => {
    const { text, params } = query.toSql();
    return [name, text, params];
  };
  const table = tableSql(users, dialect);
  const fields = users.fields.filter((f) => f.name !== "id");
  const write = (build: (w: SqlWriter<Dialect>) => void): [string, unknown[]] => {
    const writer = new SqlWriter(dialect);
    build(writer);
    return [writer.text, writer.params];
  };
  const [updateAll, updateAllParams] = write((w) =>
    w.raw(`UPDATE ${table.table} SET `).id("is_active").raw(" = ").param(false, "boolean").raw(" WHERE ")
      .fragment(sql`${sql.id("age")} > ${30}`)
  );
  const extra = table.withExtra(table.update([fields[0]]), 2, {
    key: "lock",
    conditions: [sql`${sql.id("lock_version")} = ${3}`],
  });
  const entries: Entry[] = [
    select("where object, order, limit", q().where({ name: "Ann", age: [30, 40] }).orderBy("name").limit(5)),
    select("raw where, or, null, offset", q().where("age > ?", [3]).orWhere({ age: null }).offset(10)),
    select("whereIn empty, whereNotNull", q().whereIn("id", []).whereNotNull("email")),
    select(
      "join, select with alias, distinct",
      q().join("posts as p", "p.user_id = users.id").select("users.name", "p.title as title").distinct(),
    ),
    select(
      "group, aggregates, having",
      q().groupBy("isActive").count("id", "n").avg("age", "mean").having("count(id) > ?", [1]),
    ),
    select("for update", q().where({ id: 1 }).forUpdate()),
    select("sql fragment and ?? literal", q().where(sql`age > ${18}`).where("name ?? ?", ["x"])),
    ["find by key", table.selectByKey],
    ["insert one", table.insert(fields)],
    ["insert one returning the key", table.insert(fields, 1, ` RETURNING ${table.keyColumn}`)],
    ["insert three rows", table.insert(fields.slice(0, 2), 3)],
    ["insert defaults only", table.insert([])],
    ["update by key", table.update(fields.slice(0, 2))],
    ["update with an extra condition", extra.text, extra.params],
    ["delete by key", table.deleteByKey],
    ["upsert on email", table.insert(fields.slice(0, 2), 1, dialect.upsertClause(["email"], ["name"]))],
    ["update all", updateAll, updateAllParams],
    ["create table users", createTableSql(users, dialect)],
    ["create table kinds", createTableSql(everything, dialect, { ifNotExists: true })],
    ["limit and offset", dialect.limitClause(undefined, 20)],
  ];
  for (const options of [{}, { readOnly: true }, { isolation: "serializable" as const }]) {
    try {
      entries.push([`begin ${JSON.stringify(options)}`, dialect.beginStatements(options).join(";\n")]);
    } catch (error) {
      entries.push([`begin ${JSON.stringify(options)}`, `refused: ${(error as Error).message}`]);
    }
  }
  entries.push([
    "savepoints",
    [dialect.savepoint("a"), dialect.releaseSavepoint("a"), dialect.rollbackToSavepoint("a")].join(";\n"),
  ]);
  return entries;
}

/** How each dialect classifies normalised driver errors (by code, never by driver). */
function classifications(dialect: Dialect): Entry[] {
  const codes: [string, ConstructorParameters<typeof DriverError>[1]][] = [
    ["sqlite unique", { code: "SQLITE_CONSTRAINT_UNIQUE", table: "users", column: "email" }],
    ["sqlite busy", { code: "SQLITE_BUSY" }],
    ["sqlstate unique", { sqlstate: "23505", constraint: "users_email_key" }],
    ["sqlstate deadlock", { sqlstate: "40P01" }],
    ["sqlstate canceled", { sqlstate: "57014" }],
    ["errno duplicate", { errno: 1062 }],
    ["errno lock wait", { errno: 1205 }],
    ["errno interrupted", { errno: 1969 }],
  ];
  return codes.map(([name, info]) => {
    const error = dialect.translateError(new DriverError("for key 'users.email'", info), {
      sql: "INSERT INTO users",
      params: [],
    });
    return [`error ${name}`, `${error.name} (${error.message})`];
  });
}

function render(entries: Entry[]): string {
  return entries.map(([name, text, params]) =>
    `-- ${name}\n${text}${params && params.length ? `\n-- params: ${JSON.stringify(params)}` : ""}\n`
  ).join("\n");
}

for (const dialect of [new SQLiteDialect(), new PostgresDialect(), new MySQLDialect()]) {
  Deno.test(`goldens: ${dialect.name} SQL and error mapping, without a server`, async () => {
    const file = new URL(`./goldens/${dialect.name.toLowerCase()}.sql`, import.meta.url);
    const actual = render([...statements(dialect), ...classifications(dialect)]);
    if (Deno.env.get("UPDATE_GOLDENS") === "1") await Deno.writeTextFile(file, actual);
    const expected = await Deno.readTextFile(file).catch(() => "(no golden file: run with UPDATE_GOLDENS=1)");
    assert.equal(actual, expected);
  });
}
