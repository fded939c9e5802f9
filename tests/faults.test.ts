/**
 * Server backends under faults: killed pooled connections, a server that accepts and then closes,
 * statements that run too long, a silent network partition. Nothing here touches a session the test
 * did not open: kills target the ids its own pool reports.
 */
import assert from "node:assert/strict";
import { testOn } from "./support/skip.ts";
import { connectAsync, Connection, ConnectionError, QueryCanceledError } from "../mod.ts";
import { FaultProxy } from "./support/proxy.ts";
import { servers } from "./support/servers.ts";

/** `action`'s outcome, or "hang" when it has not settled after `ms`. */
async function within(ms: number, action: () => Promise<unknown>): Promise<"ok" | "hang" | Error> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<"hang">((resolve) => timer = setTimeout(() => resolve("hang"), ms));
  try {
    return await Promise.race([action().then(() => "ok" as const, (e: Error) => e), hang]);
  } finally {
    clearTimeout(timer);
  }
}

for (const server of servers) {
  const test = testOn(server.target, server.name);
  const sleepyId = server.target.sleepySessionIdSql!;
  const port = Number(new URL(server.url).port);

  for (const max of [1, 3]) {
    test(`a killed idle pooled connection costs at most the query on it (pool of ${max})`, async () => {
      await using killer = await connectAsync(server.open(server.url, { max: 1 }));
      await using db: Connection<"async"> = await connectAsync(server.open(server.url, { max }));
      // Occupy every pooled connection at once, so each reports its id.
      const ids = await Promise.all(Array.from({ length: max }, () => db.executeScalar(sleepyId)));
      assert.equal(new Set(ids).size, max);
      for (const id of ids) await killer.executeScalar(server.kill(id));
      // At once: the kill may not have been noticed yet, the case that wedged the pool.
      const outcomes = [];
      for (let i = 0; i < 8; i++) outcomes.push(await within(3000, () => db.executeScalar("select 1")));
      assert.ok(!outcomes.includes("hang"), `a query never settled: ${outcomes}`);
      const failures = outcomes.filter((o) => o !== "ok");
      assert.ok(failures.length <= 1, `more than one query failed: ${failures}`);
      for (const failure of failures) assert.ok(failure instanceof ConnectionError, String(failure));
      assert.deepEqual(outcomes.slice(-6), Array(6).fill("ok"));
    });
  }

  test("a server that accepts and then closes is a ConnectionError within connectTimeout", async () => {
    await using proxy = new FaultProxy({ hostname: "127.0.0.1", port });
    proxy.mode = "accept-then-close";
    const backend = server.open(proxy.urlFor(server.url), { max: 1, connectTimeout: 500 });
    try {
      const db = new Connection(backend, "async"); // connectAsync would close the backend on failure
      const started = performance.now();
      const outcome = await within(5000, () => db.executeScalar("select 1"));
      const elapsed = performance.now() - started;
      assert.ok(outcome instanceof ConnectionError, `got ${outcome}`);
      assert.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms`);
      assert.ok(proxy.accepted < 200, `${proxy.accepted} connection attempts: they should back off`);
      proxy.mode = "forward";
      assert.equal(Number(await db.executeScalar("select 1")), 1, "once the server answers, it works");
    } finally {
      await backend.close();
    }
  });

  test("queryTimeout cancels a statement that runs too long with QueryCanceledError; work goes on", async () => {
    await using db = await connectAsync(server.open(server.url, { max: 2, queryTimeout: 300 }));
    const started = performance.now();
    await assert.rejects(() => db.execute(server.sleep(5)), QueryCanceledError);
    assert.ok(performance.now() - started < 2000);
    assert.equal(Number(await db.executeScalar("select 1")), 1);
    await assert.rejects(
      () => db.transaction(async (tx) => await tx.execute(server.sleep(5))),
      QueryCanceledError,
    );
    const again = performance.now();
    assert.equal(await db.transaction(async (tx) => Number(await tx.executeScalar("select 2"))), 2);
    assert.ok(
      performance.now() - again < 2000,
      "the timed-out transaction's connection slot is free at once",
    );
  });

  test("a statement cancelled by the server's own timeout is a QueryCanceledError", async () => {
    await using db = await connectAsync(server.open(server.url, { max: 1 }));
    await assert.rejects(
      () =>
        db.transaction(async (tx) => {
          for (const text of server.serverTimeout) await tx.executeNonQuery(text);
          await tx.execute(server.overrun);
        }),
      QueryCanceledError,
    );
    assert.equal(Number(await db.executeScalar("select 1")), 1);
  });

  test("a silent network partition fails queries after queryTimeout; once it heals, they work", async () => {
    await using proxy = new FaultProxy({ hostname: "127.0.0.1", port });
    await using db = await connectAsync(
      server.open(proxy.urlFor(server.url), { max: 1, queryTimeout: 300, connectTimeout: 1000 }),
    );
    assert.equal(Number(await db.executeScalar("select 1")), 1);
    proxy.mode = "freeze";
    const outcome = await within(3000, () => db.executeScalar("select 1"));
    assert.ok(outcome instanceof QueryCanceledError, `got ${outcome}`);
    proxy.mode = "forward";
    proxy.cut(); // the frozen connections are gone for good
    const recovered = await within(5000, () => db.executeScalar("select 1"));
    assert.equal(recovered, "ok");
  });
}
