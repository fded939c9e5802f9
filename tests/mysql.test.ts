/** MySQL / MariaDB-specific behaviour: URLs, connection failures, locking errors, DDL, session setup. */
import assert from "node:assert/strict";
import {
  ActiveRecord,
  AsyncActiveRecord,
  ConfigurationError,
  connectAsync,
  type Connection,
  ConnectionError,
  DeadlockError,
  LockTimeoutError,
  QueryError,
  UniqueViolationError,
} from "../mod.ts";
import { MySQLBackend } from "../backends/mysql.ts";
import { MYSQL_URL, mysqlAsync } from "./conformance/targets.ts";
import { everything, users } from "./conformance/fixtures.ts";

const ignore = mysqlAsync.unavailable !== undefined;
const test = (name: string, fn: () => Promise<void>) => Deno.test({ name: `mysql: ${name}`, ignore, fn });

async function withDb(fn: (db: Connection<"async">) => Promise<void>): Promise<void> {
  await using db = await connectAsync(new MySQLBackend(MYSQL_URL, { max: 4 }));
  await fn(db);
}

Deno.test("mysql: malformed URLs are ConfigurationErrors that never show the password", () => {
  const cases: [string, RegExp][] = [
    ["mysql://user:s3cret@/app", /malformed/],
    ["mysql:///app", /has no host/],
    ["postgres://user:s3cret@db/app", /must start with mysql: or mariadb:/],
    ["mysql://user:s3cret@db:3306", /names no database/],
  ];
  for (const [url, message] of cases) {
    assert.throws(() => new MySQLBackend(url), (e: unknown) => {
      assert.ok(e instanceof ConfigurationError, url);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("s3cret"), `password echoed: ${e.message}`);
      return true;
    });
  }
});

test("a sync model configured with MySQLBackend fails at configure", async () => {
  const backend = new MySQLBackend(MYSQL_URL);
  try {
    class User extends ActiveRecord.model(users) {}
    assert.throws(() => User.configure(backend), ConfigurationError);
  } finally {
    await backend.close();
  }
});

test("refused and silent servers are ConnectionErrors, not hangs", async () => {
  class User extends AsyncActiveRecord.model(users) {}
  const refused = new MySQLBackend("mysql://root@127.0.0.1:1/test", { connectTimeout: 2000 });
  try {
    await assert.rejects(() => User.configure(refused), ConnectionError);
  } finally {
    await refused.close();
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const silent = new MySQLBackend(`mysql://root@127.0.0.1:${(listener.addr as Deno.NetAddr).port}/test`, {
    connectTimeout: 300,
  });
  try {
    await assert.rejects(() => connectAsync(silent), ConnectionError);
  } finally {
    await silent.close();
    listener.close();
    held.forEach((conn) => conn.close());
    await accepting.catch(() => {});
  }
});

test("deadlocks and lock timeouts have their own errors", async () => {
  await withDb(async (db) => {
    await db.executeNonQuery("drop table if exists ar_locks");
    await db.executeNonQuery("create table ar_locks (id int primary key, v int not null) engine=innodb");
    await db.executeNonQuery("insert into ar_locks values (1, 0), (2, 0)");
    try {
      {
        await using a = await db.begin();
        await using b = await db.begin();
        await a.executeNonQuery("update ar_locks set v = 1 where id = 1");
        await b.executeNonQuery("update ar_locks set v = 1 where id = 2");
        const outcomes = await Promise.allSettled([
          a.executeNonQuery("update ar_locks set v = 2 where id = 2"),
          b.executeNonQuery("update ar_locks set v = 2 where id = 1"),
        ]);
        const errors = outcomes.filter((o) => o.status === "rejected").map((o) =>
          (o as PromiseRejectedResult).reason
        );
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof DeadlockError, String(errors[0]));
      }
      {
        await using holder = await db.begin();
        await holder.execute("select * from ar_locks where id = 1 for update");
        await using waiter = await db.begin();
        await waiter.executeNonQuery("set innodb_lock_wait_timeout = 1");
        await assert.rejects(
          () => waiter.execute("select * from ar_locks where id = 1 for update"),
          LockTimeoutError,
        );
      }
    } finally {
      await db.executeNonQuery("drop table ar_locks");
    }
  });
});

test("a connection killed inside a transaction is a ConnectionError", async () => {
  await using killer = await connectAsync(new MySQLBackend(MYSQL_URL, { max: 1 }));
  await withDb(async (db) => {
    await assert.rejects(
      () =>
        db.transaction(async (tx) => {
          const id = await tx.executeScalar("select connection_id()");
          await killer.executeNonQuery(`kill ${Number(id)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          await tx.executeScalar("select 1");
        }),
      ConnectionError,
    );
    assert.equal(await db.executeScalar("select 1"), 1, "the pool recovers");
  });
});

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

test("connectAsync resolves mysql:// and mariadb:// URLs", async () => {
  await using db = await connectAsync(MYSQL_URL);
  assert.equal(await db.executeScalar("select 40 + ?", [2]), 42);
  await using other = await connectAsync(MYSQL_URL.replace(/^mysql:/, "mariadb:"));
  assert.equal(await other.executeScalar("select 1"), 1);
});
