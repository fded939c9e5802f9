/** PostgreSQL-specific behaviour: URLs, connection failures, locking errors, DDL types. */
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
  SerializationError,
} from "../mod.ts";
import { PostgresBackend } from "../backends/postgres.ts";
import { PG_URL, postgresAsync } from "./conformance/targets.ts";
import { everything, users } from "./conformance/fixtures.ts";

const ignore = postgresAsync.unavailable !== undefined;
const test = (name: string, fn: () => Promise<void>) => Deno.test({ name: `postgres: ${name}`, ignore, fn });

async function withDb(fn: (db: Connection<"async">) => Promise<void>): Promise<void> {
  await using db = await connectAsync(new PostgresBackend(PG_URL, { max: 4, closeTimeout: 200 }));
  await fn(db);
}

Deno.test("postgres: malformed URLs are ConfigurationErrors that never show the password", () => {
  const cases: [string, RegExp][] = [
    ["postgres://user:s3cret@/app", /malformed/],
    ["postgres:///app", /has no host/],
    ["postgres://user:s3cret@db:notaport/app", /malformed/],
    ["mysql://user:s3cret@db/app", /must start with postgres: or postgresql:/],
    ["postgres://user:s3cret@db:5432", /names no database/],
  ];
  for (const [url, message] of cases) {
    const error = assert.throws(() => new PostgresBackend(url), (e: unknown) => {
      assert.ok(e instanceof ConfigurationError, url);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("s3cret"), `password echoed: ${e.message}`);
      return true;
    });
    void error;
  }
  assert.throws(() => new PostgresBackend("postgres://u@h/db", { max: 0 }), ConfigurationError);
});

test("a sync model configured with PostgresBackend fails at configure", async () => {
  const backend = new PostgresBackend(PG_URL);
  try {
    class User extends ActiveRecord.model(users) {}
    assert.throws(() => User.configure(backend), /answers only asynchronously/);
    assert.throws(() => User.configure(backend), ConfigurationError);
  } finally {
    await backend.close();
  }
});

test("a refused connection is a ConnectionError", async () => {
  class User extends AsyncActiveRecord.model(users) {}
  const backend = new PostgresBackend("postgres://postgres@127.0.0.1:1/test", { connectTimeout: 2000 });
  try {
    await assert.rejects(() => User.configure(backend), ConnectionError);
  } finally {
    await backend.close();
  }
});

test("a server that never answers is a ConnectionError after connectTimeout, not a hang", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const backend = new PostgresBackend(
    `postgres://postgres@127.0.0.1:${(listener.addr as Deno.NetAddr).port}/test`,
    {
      connectTimeout: 300,
    },
  );
  try {
    await assert.rejects(() => connectAsync(backend), (e: unknown) => {
      assert.ok(e instanceof ConnectionError);
      assert.match(e.message, /CONNECT_TIMEOUT/);
      return true;
    });
  } finally {
    await backend.close();
    listener.close();
    held.forEach((conn) => conn.close());
    await accepting.catch(() => {});
  }
});

test("deadlocks, serialization failures and lock timeouts have their own errors", async () => {
  await withDb(async (db) => {
    await db.executeNonQuery("drop table if exists ar_locks");
    await db.executeNonQuery("create table ar_locks (id int primary key, v int not null)");
    await db.executeNonQuery("insert into ar_locks values (1, 0), (2, 0)");
    try {
      // Deadlock: each transaction holds one row and waits for the other's.
      {
        await using a = await db.begin();
        await using b = await db.begin();
        await a.executeNonQuery("set local deadlock_timeout = '50ms'");
        await b.executeNonQuery("set local deadlock_timeout = '50ms'");
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
      // Serialization failure: a repeatable-read transaction updates a row changed since it began.
      {
        await using reader = await db.begin({ isolation: "repeatable read" });
        assert.equal(await reader.executeScalar("select v from ar_locks where id = 1"), 0);
        await db.executeNonQuery("update ar_locks set v = 5 where id = 1");
        await assert.rejects(
          () => reader.executeNonQuery("update ar_locks set v = 6 where id = 1"),
          SerializationError,
        );
      }
      // Lock not available.
      {
        await using holder = await db.begin();
        await holder.execute("select * from ar_locks where id = 1 for update");
        await using waiter = await db.begin();
        await assert.rejects(
          () => waiter.execute("select * from ar_locks where id = 1 for update nowait"),
          LockTimeoutError,
        );
      }
    } finally {
      await db.executeNonQuery("drop table ar_locks");
    }
  });
});

test("a connection killed inside a transaction is a ConnectionError", async () => {
  // The killer is another backend: a query through `db` inside the callback would join the transaction.
  await using killer = await connectAsync(new PostgresBackend(PG_URL, { max: 1 }));
  await withDb(async (db) => {
    await assert.rejects(
      () =>
        db.transaction(async (tx) => {
          const pid = await tx.executeScalar("select pg_backend_pid()");
          await killer.executeScalar("select pg_terminate_backend(?)", [pid]);
          // Let the close arrive while the transaction is idle: the next query must fail cleanly,
          // not crash the process (porsager/postgres#1208).
          await new Promise((resolve) => setTimeout(resolve, 100));
          await tx.executeScalar("select 1");
        }),
      ConnectionError,
    );
    assert.equal(await db.executeScalar("select 1"), 1, "the pool recovers");
  });
});

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
        "select column_name, data_type, is_identity from information_schema.columns where table_name = ? order by ordinal_position",
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

test("connectAsync resolves postgres:// and postgresql:// URLs", async () => {
  await using db = await connectAsync(PG_URL);
  assert.equal(await db.executeScalar("select 40 + ?", [2]), 42);
  await using other = await connectAsync(PG_URL.replace(/^postgres:/, "postgresql:"));
  assert.equal(await other.executeScalar("select 1"), 1);
});
