/**
 * What every server backend must do, checked on each: URLs that never echo the password, sync
 * models refused at configure, refused and silent servers, lock errors, and a connection killed
 * inside a transaction.
 */
import assert from "node:assert/strict";
import { testOn } from "./support/skip.ts";
import {
  ActiveRecord,
  AsyncActiveRecord,
  ConfigurationError,
  connectAsync,
  type Connection,
  ConnectionError,
  DeadlockError,
  LockTimeoutError,
} from "../mod.ts";
import { closeNamespaced, openNamespaced } from "./conformance/namespace.ts";
import { users } from "./conformance/fixtures.ts";
import { servers } from "./support/servers.ts";

for (const server of servers) {
  const test = testOn(server.target, server.name);
  const withDb = async (fn: (db: Connection<"async">) => Promise<void>) => {
    const backend = await openNamespaced(server.namespaces, { max: 4 });
    try {
      await fn(await connectAsync(backend));
    } finally {
      await closeNamespaced(backend);
    }
  };
  const [scheme, alias] = server.schemes;

  Deno.test(`${server.name}: malformed URLs are ConfigurationErrors that never show the password`, () => {
    const cases: [string, RegExp][] = [
      [`${scheme}//user:s3cret@/app`, /malformed/],
      [`${scheme}///app`, /has no host/],
      ["http://user:s3cret@db/app", new RegExp(`must start with ${scheme} or ${alias}`)],
      [`${scheme}//user:s3cret@db:1234`, /names no database/],
    ];
    for (const [url, message] of cases) {
      assert.throws(() => server.open(url), (e: unknown) => {
        assert.ok(e instanceof ConfigurationError, url);
        assert.match(e.message, message);
        assert.ok(!e.message.includes("s3cret"), `password echoed: ${e.message}`);
        return true;
      });
    }
    assert.throws(() => server.open(`${scheme}//u@h/db`, { max: 0 }), ConfigurationError);
  });

  test("a sync model configured with it fails at configure", async () => {
    const backend = server.open(server.url);
    try {
      class User extends ActiveRecord.model(users) {}
      assert.throws(() => User.configure(backend), ConfigurationError);
    } finally {
      await backend.close();
    }
  });

  test("refused and silent servers are ConnectionErrors within connectTimeout, not hangs", async () => {
    class User extends AsyncActiveRecord.model(users) {}
    const refused = server.open(`${scheme}//root@127.0.0.1:1/test`, { connectTimeout: 2000 });
    try {
      await assert.rejects(() => User.configure(refused), ConnectionError);
      // Taking a connection for a transaction fails the same typed way, not with the driver's error.
      await assert.rejects(() => User.transaction(async () => {}), ConnectionError);
      await assert.rejects(() => User.begin(), ConnectionError);
      await assert.rejects(() => User.findOne(1), ConnectionError);
    } finally {
      await refused.close();
    }
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const conn of listener) held.push(conn);
    })();
    const silent = server.open(`${scheme}//root@127.0.0.1:${(listener.addr as Deno.NetAddr).port}/test`, {
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
      await db.executeNonQuery("create table ar_locks (id int primary key, v int not null)");
      await db.executeNonQuery("insert into ar_locks values (1, 0), (2, 0)");
      try {
        {
          await using a = await db.begin();
          await using b = await db.begin();
          for (const text of server.impatient) {
            await a.executeNonQuery(text);
            await b.executeNonQuery(text);
          }
          await a.executeNonQuery("update ar_locks set v = 1 where id = 1");
          await b.executeNonQuery("update ar_locks set v = 1 where id = 2");
          const outcomes = await Promise.allSettled([
            a.executeNonQuery("update ar_locks set v = 2 where id = 2"),
            b.executeNonQuery("update ar_locks set v = 2 where id = 1"),
          ]);
          const errors = outcomes.filter((o) => o.status === "rejected").map((o) => o.reason);
          assert.equal(errors.length, 1);
          assert.ok(errors[0] instanceof DeadlockError, String(errors[0]));
        }
        {
          await using holder = await db.begin();
          await holder.execute("select * from ar_locks where id = 1 for update");
          await using waiter = await db.begin();
          for (const text of server.impatient) await waiter.executeNonQuery(text);
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

  test("a connection killed inside a transaction is a ConnectionError; the pool recovers", async () => {
    // The killer is another backend: a query through `db` inside the callback would join the transaction.
    await using killer = await connectAsync(server.open(server.url, { max: 1 }));
    await withDb(async (db) => {
      await assert.rejects(
        () =>
          db.transaction(async (tx) => {
            await killer.executeScalar(server.kill(await tx.executeScalar(server.sessionId)));
            // Let the close arrive while the transaction is idle: the next query must fail cleanly,
            // not crash the process (porsager/postgres#1208).
            await new Promise((resolve) => setTimeout(resolve, 100));
            await tx.executeScalar("select 1");
          }),
        ConnectionError,
      );
      assert.equal(await db.executeScalar("select 1"), 1);
    });
  });

  test("query parameters of the URL reach the driver: asking for TLS where there is none fails", async () => {
    // The test server has no TLS: a URL that asks for it must not connect in plain text.
    const backend = server.open(server.tlsUrl, { connectTimeout: 3000 });
    try {
      await assert.rejects(() => connectAsync(backend), ConnectionError);
    } finally {
      await backend.close();
    }
  });

  test(`connectAsync resolves ${scheme} and ${alias} URLs`, async () => {
    await using db = await connectAsync(server.url);
    assert.equal(await db.executeScalar("select 40 + ?", [2]), 42);
    await using other = await connectAsync(server.url.replace(scheme, alias));
    assert.equal(await other.executeScalar("select 1"), 1);
  });
}
