/** MySQL / MariaDB-specific behaviour: value-free error messages, DDL, collation, UTC sessions (shared server behaviour: servers.test.ts). */
import assert from "node:assert/strict";
import { testOn } from "./support/skip.ts";
import {
  AsyncActiveRecord,
  ConfigurationError,
  connectAsync,
  type Connection,
  QueryError,
  UniqueViolationError,
} from "../mod.ts";
import { MYSQL_URL, mysqlAsync, mysqlNamespaces } from "./conformance/targets.ts";
import { MySQLBackend } from "../backends/mysql.ts";
import process from "node:process";
import { closeNamespaced, openNamespaced } from "./conformance/namespace.ts";
import { everything } from "./conformance/fixtures.ts";

const test = testOn(mysqlAsync, "mysql");

async function withDb(fn: (db: Connection<"async">) => Promise<void>): Promise<void> {
  const backend = await openNamespaced(mysqlNamespaces, { max: 4 });
  try {
    await fn(await connectAsync(backend));
  } finally {
    await closeNamespaced(backend);
  }
}

test("error messages never print the rejected value", async () => {
  await withDb(async (db) => {
    await db.executeNonQuery("drop table if exists ar_secrets");
    await db.executeNonQuery("create table ar_secrets (k varchar(50) primary key, n int)");
    try {
      await db.executeNonQuery("insert into ar_secrets (k, n) values (?, ?)", ["secret-key", 1]);
      const duplicate = await db.executeNonQuery("insert into ar_secrets (k, n) values (?, ?)", [
        "secret-key",
        2,
      ])
        .then(() => undefined, (e) => e);
      assert.ok(duplicate instanceof UniqueViolationError);
      assert.equal(duplicate.table, "ar_secrets");
      assert.ok(!duplicate.message.includes("secret-key"), duplicate.message);
      const bad = await db.executeNonQuery("insert into ar_secrets (k, n) values (?, ?)", [
        "k2",
        "secret-number",
      ])
        .then(() => undefined, (e) => e);
      assert.ok(bad instanceof QueryError);
      assert.ok(!bad.message.includes("secret-number"), bad.message);
    } finally {
      await db.executeNonQuery("drop table ar_secrets");
    }
  });
});

test("DDL: BIGINT keys, TINYINT(1), DATETIME(6), InnoDB, utf8mb4 binary collation; sessions in UTC", async () => {
  await withDb(async (db) => {
    class Row extends AsyncActiveRecord.model(everything) {}
    await Row.configure(db.backend);
    await Row.dropTable({ ifExists: true });
    await Row.createTable();
    try {
      const rows = await db.execute<{ name: string; type: string; extra: string }>(
        "select column_name as name, column_type as type, extra from information_schema.columns " +
          "where table_schema = database() and table_name = ? order by ordinal_position",
        ["ar_types"],
      );
      const types = Object.fromEntries(rows.map((r) => [r.name, r.type]));
      assert.match(types.id, /^bigint/);
      assert.equal(rows[0].extra, "auto_increment");
      assert.equal(types.flag, "tinyint(1)");
      assert.equal(types.money, "decimal(12,2)");
      assert.equal(types.at, "datetime(6)");
      assert.equal(types.day, "date");
      assert.equal(types.clock, "time(6)");
      assert.equal(types.blob, "longblob");
      assert.equal(types.uid, "char(36)");
      const [table] = await db.execute<{ engine: string; collation: string }>(
        "select engine, table_collation as collation from information_schema.tables where table_schema = database() and table_name = ?",
        ["ar_types"],
      );
      assert.deepEqual(table, { engine: "InnoDB", collation: "utf8mb4_bin" });
      assert.equal(await db.executeScalar("select @@session.time_zone"), "+00:00");
    } finally {
      await Row.dropTable();
    }
  });
});

test("ssl in the URL reaches mysql2 (a malformed one is a ConfigurationError, not ignored)", async () => {
  const url = new URL(MYSQL_URL);
  url.searchParams.set("ssl", "true"); // mysql2 wants an object or a profile name
  await Promise.resolve();
  assert.throws(() => new MySQLBackend(url.href), (e: unknown) => {
    assert.ok(e instanceof ConfigurationError);
    assert.match(e.message, /SSL profile/);
    return true;
  });
});

test("transactions do not leave listeners on pooled connections", async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on("warning", onWarning);
  try {
    await using db = await connectAsync(new MySQLBackend(MYSQL_URL, { max: 1 }));
    for (let i = 0; i < 15; i++) await db.transaction(async (tx) => await tx.executeScalar("select 1"));
    await new Promise((resolve) => setTimeout(resolve, 10)); // warnings are emitted on the next tick
  } finally {
    process.off("warning", onWarning);
  }
  assert.deepEqual(warnings.filter((w) => w === "MaxListenersExceededWarning"), []);
});
