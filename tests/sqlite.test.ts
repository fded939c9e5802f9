/** SQLite-specific behaviour: files, locks, closed databases, URLs, statement caching. */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  ActiveRecord,
  ArgumentError,
  column,
  ConfigurationError,
  connect,
  connectAsync,
  ConnectionError,
  defineSchema,
  LockTimeoutError,
} from "../mod.ts";
import { SQLiteBackend, sqlitePath } from "../backends/sqlite.ts";

const items = defineSchema("items", {
  id: column.integer().primaryKey(),
  at: column.datetime(),
  n: column.integer(),
});

function tempPath(): string {
  return Deno.makeTempFileSync({ suffix: ".db" });
}

function removeDb(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    try {
      Deno.removeSync(path + suffix);
    } catch {
      // not created
    }
  }
}

Deno.test("sqlite: URLs open memory and file databases; data survives reopening", () => {
  assert.equal(sqlitePath("sqlite::memory:"), ":memory:");
  assert.equal(sqlitePath("sqlite:app.db"), "app.db");
  assert.equal(sqlitePath("sqlite:///tmp/x.db"), "/tmp/x.db");
  assert.throws(() => sqlitePath("sqlite:"), ArgumentError);
  assert.throws(() => connect("nosuch:x"), ConfigurationError);
  assert.throws(() => connect("no scheme"), ConfigurationError);
  {
    using db = connect("sqlite::memory:");
    assert.deepEqual(db.execute("select 1 as one"), [{ one: 1 }]);
  }
  const path = tempPath();
  try {
    {
      using db = connect(`sqlite:${path}`);
      db.executeNonQuery("create table t (x integer); insert into t values (1); insert into t values (2);");
      assert.equal(db.executeScalar("select count(*) from t"), 2, "a script runs every statement");
    }
    using again = connect(`sqlite:${path}`);
    assert.equal(again.executeScalar("select sum(x) from t"), 3);
    assert.equal(again.executeScalar("pragma journal_mode"), "wal");
  } finally {
    removeDb(path);
  }
});

Deno.test("sqlite: a closed database is a ConnectionError; closing twice is fine", async () => {
  const db = connect("sqlite::memory:");
  db.close();
  db.close();
  assert.throws(() => db.execute("select 1"), ConnectionError);
  const adb = await connectAsync("sqlite::memory:");
  await adb.close();
  await assert.rejects(async () => await adb.execute("select 1"), ConnectionError);
  await using disposed = await connectAsync("sqlite::memory:");
  assert.equal(await disposed.executeScalar("select 2"), 2);
});

Deno.test("sqlite: a write blocked by another connection's lock is a LockTimeoutError", () => {
  const path = tempPath();
  try {
    using holder = new SQLiteBackend(path);
    using waiter = new SQLiteBackend(path, { timeout: 0 });
    const a = connect(holder);
    const b = connect(waiter);
    a.executeNonQuery("create table t (x integer)");
    using tx = a.begin({ behavior: "immediate" });
    a.executeNonQuery("insert into t values (1)");
    assert.throws(() => b.executeNonQuery("insert into t values (2)"), LockTimeoutError);
    assert.throws(() => b.transaction(() => {}), LockTimeoutError);
    tx.commit();
    assert.equal(b.executeNonQuery("insert into t values (2)"), 1);
  } finally {
    removeDb(path);
  }
});

Deno.test("sqlite: datetimes are stored as UTC ISO text; decimals with precision as numbers", () => {
  class Item extends ActiveRecord.model(items) {}
  using backend = new SQLiteBackend(":memory:");
  Item.configure(backend);
  Item.createTable();
  Item.create({ at: new Date("2024-05-06T07:08:09.010Z"), n: 1 });
  const db = connect(backend);
  assert.equal(db.executeScalar("select at from items"), "2024-05-06T07:08:09.010Z");
  // Rows written by SQLite's own CURRENT_TIMESTAMP (no zone, a space) read back as UTC.
  db.executeNonQuery("insert into items (at, n) values ('2024-05-06 07:08:09', 2)");
  assert.deepEqual(Item.findOneOrFail({ n: 2 }).at, new Date("2024-05-06T07:08:09Z"));
});

Deno.test("sqlite: prepared statements are cached per SQL text", () => {
  const db = new DatabaseSync(":memory:");
  let prepared = 0;
  const counting = new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (text: string) => (prepared++, target.prepare(text));
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  class Item extends ActiveRecord.model(items) {}
  using backend = new SQLiteBackend(counting);
  Item.configure(backend);
  Item.createTable();
  const before = prepared;
  for (let i = 0; i < 50; i++) Item.create({ at: new Date(), n: i });
  for (let i = 1; i <= 50; i++) Item.findOne(i);
  for (let i = 0; i < 20; i++) Item.query().where({ n: i }).all();
  assert.equal(prepared - before, 3, "one insert, one find-by-key, one query statement");
});

Deno.test("sqlite: the statement cache evicts beyond its size and stays correct", () => {
  using backend = new SQLiteBackend(":memory:", { statementCacheSize: 2 });
  const db = connect(backend);
  for (let i = 0; i < 10; i++) assert.equal(db.executeScalar(`select ${i} + ?`, [1]), i + 1);
  assert.equal(db.executeScalar("select 0 + ?", [1]), 1);
});

Deno.test("sqlite: foreign keys are on by default and can be turned off", () => {
  using on = new SQLiteBackend(":memory:");
  assert.equal(connect(on).executeScalar("pragma foreign_keys"), 1);
  using off = new SQLiteBackend(":memory:", { foreignKeys: false });
  assert.equal(connect(off).executeScalar("pragma foreign_keys"), 0);
});

Deno.test("sqlite: a file that is not a SQLite database is a ConnectionError at open", () => {
  const path = tempPath();
  try {
    Deno.writeTextFileSync(path, "this is a text file, not a database; ".repeat(10));
    assert.throws(() => new SQLiteBackend(path), (e: unknown) => {
      assert.ok(e instanceof ConnectionError, String(e));
      assert.match(e.message, /not a database/);
      return true;
    });
    assert.throws(() => connect(`sqlite:${path}`), ConnectionError);
  } finally {
    removeDb(path);
  }
});

Deno.test("sqlite: a process killed mid-transaction leaves committed rows and no partial ones", async () => {
  const path = tempPath();
  try {
    const script = `
      import { SQLiteBackend } from ${JSON.stringify(new URL("../backends/sqlite.ts", import.meta.url).href)};
      import { connect } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
      const db = connect(new SQLiteBackend(${JSON.stringify(path)}));
      db.executeNonQuery("create table t (x integer)");
      db.transaction((tx) => { for (let i = 0; i < 10; i++) tx.executeNonQuery("insert into t values (?)", [i]); });
      const tx = db.begin();
      for (let i = 0; i < 1000; i++) tx.executeNonQuery("insert into t values (?)", [100 + i]);
      console.log("ready");
      setInterval(() => {}, 1000);
    `;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", script],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    assert.match(new TextDecoder().decode(value), /ready/);
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    using db = connect(`sqlite:${path}`);
    assert.equal(db.executeScalar("select count(*) from t"), 10);
  } finally {
    removeDb(path);
  }
});
