/** PostgreSQL-specific behaviour: value-free data errors, serialization failures, DDL types (shared server behaviour: servers.test.ts). */
import assert from "node:assert/strict";
import { testOn } from "./support/skip.ts";
import { AsyncActiveRecord, connectAsync, type Connection, QueryError, SerializationError } from "../mod.ts";
import { PG_URL, postgresAsync, postgresNamespaces } from "./conformance/targets.ts";
import { PostgresBackend } from "../backends/postgres.ts";
import { closeNamespaced, openNamespaced } from "./conformance/namespace.ts";
import { everything } from "./conformance/fixtures.ts";

const test = testOn(postgresAsync, "postgres");

async function withDb(fn: (db: Connection<"async">) => Promise<void>): Promise<void> {
  const backend = await openNamespaced(postgresNamespaces, { max: 4 });
  try {
    await fn(await connectAsync(backend));
  } finally {
    await closeNamespaced(backend);
  }
}

test("data errors never print the rejected value", async () => {
  await withDb(async (db) => {
    const error = await db.execute("select ?::integer", ["secret-abc"]).then(() => undefined, (e) => e);
    assert.ok(error instanceof QueryError);
    assert.ok(!error.message.includes("secret-abc"), error.message);
    assert.match(error.message, /invalid input syntax for type integer/);
  });
});

test("DDL uses native types: identity, bigint, numeric, jsonb, bytea, timestamptz, uuid", async () => {
  await withDb(async (db) => {
    class Row extends AsyncActiveRecord.model(everything) {}
    await Row.configure(db.backend);
    await Row.dropTable({ ifExists: true });
    await Row.createTable();
    try {
      const rows = await db.execute<{ column_name: string; data_type: string; is_identity: string }>(
        "select column_name, data_type, is_identity from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position",
        ["ar_types"],
      );
      assert.deepEqual(Object.fromEntries(rows.map((r) => [r.column_name, r.data_type])), {
        id: "bigint",
        int: "bigint",
        big: "bigint",
        real: "double precision",
        wide: "numeric",
        money: "numeric",
        text: "text",
        flag: "boolean",
        at: "timestamp with time zone",
        day: "date",
        clock: "time without time zone",
        doc: "jsonb",
        blob: "bytea",
        uid: "uuid",
      });
      assert.equal(rows[0].is_identity, "YES");
    } finally {
      await Row.dropTable();
    }
  });
});

test("a repeatable-read transaction updating a row changed since it began is a SerializationError", async () => {
  await withDb(async (db) => {
    await db.executeNonQuery("drop table if exists ar_serial");
    await db.executeNonQuery("create table ar_serial (id int primary key, v int not null)");
    await db.executeNonQuery("insert into ar_serial values (1, 0)");
    try {
      await using reader = await db.begin({ isolation: "repeatable read" });
      assert.equal(await reader.executeScalar("select v from ar_serial where id = 1"), 0);
      await db.executeNonQuery("update ar_serial set v = 5 where id = 1");
      await assert.rejects(
        () => reader.executeNonQuery("update ar_serial set v = 6 where id = 1"),
        SerializationError,
      );
    } finally {
      await db.executeNonQuery("drop table ar_serial");
    }
  });
});

test("every query parameter of the URL reaches postgres.js (application_name, search_path)", async () => {
  const url = new URL(PG_URL);
  url.searchParams.set("application_name", "ar_url_check");
  await using db = await connectAsync(new PostgresBackend(url.href, { closeTimeout: 200 }));
  assert.equal(await db.executeScalar("select current_setting('application_name')"), "ar_url_check");
});

test("?? writes jsonb's ? operators; dollar-quoted and E'' strings keep their ?", async () => {
  await withDb(async (db) => {
    assert.equal(await db.executeScalar(`select '{"a":1}'::jsonb ?? ?`, ["a"]), true);
    assert.equal(await db.executeScalar(`select '{"a":1}'::jsonb ??| array[?]`, ["b"]), false);
    assert.deepEqual(await db.execute("select $$it's ? here$$ as t, E'\\'?' as e, ? as n", ["x"]), [
      { t: "it's ? here", e: "'?", n: "x" },
    ]);
  });
});

test("raw string parameters go to the server as text: it parses or refuses them, never rewritten", async () => {
  await withDb(async (db) => {
    await db.executeNonQuery(
      "create table ar_events (id int primary key, at timestamptz not null, ok boolean not null)",
    );
    await db.executeNonQuery("insert into ar_events values (1, now(), true), (2, now(), false)");
    for (const text of ["not a date 1", "not a date 5", "2024-13-45"]) {
      await assert.rejects(() => db.execute("select id from ar_events where at > ?", [text]), QueryError);
    }
    assert.equal(await db.executeScalar("select count(*) from ar_events where at > ?", ["2000-01-01"]), 2);
    assert.deepEqual(await db.execute("select id from ar_events where ok = ?", ["true"]), [{ id: 1 }]);
    assert.deepEqual(await db.execute("select id from ar_events where ok = ?", [1]), [{ id: 1 }]);
    await db.executeNonQuery("insert into ar_events values (3, ?, ?)", ["2024-01-01T00:00:00Z", "yes"]);
    assert.equal(
      await db.executeScalar("select ok from ar_events where id = 3"),
      true,
      "the server read yes",
    );
    assert.deepEqual(
      await db.execute("select id from ar_events where at = ?", [new Date("2024-01-01T00:00:00Z")]),
      [{ id: 3 }],
    );
    await assert.rejects(
      () => db.executeNonQuery("insert into ar_events values (4, ?, true)", ["never"]),
      QueryError,
    );
  });
});
