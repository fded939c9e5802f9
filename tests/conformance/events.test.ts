import assert from "node:assert/strict";
import { QueryError, type QueryEvent } from "../../mod.ts";
import { conformance } from "./harness.ts";
import { users } from "./fixtures.ts";

conformance(
  "every statement crosses one chokepoint: models, queries, transactions, DDL, raw SQL",
  async (env) => {
    const User = await env.model(users);
    const events: QueryEvent[] = [];
    const stop = env.db.onQuery((event) => events.push(event));
    await env.createTables(User);
    assert.ok(events.some((e) => /^CREATE TABLE/.test(e.sql)), "DDL");
    await User.transaction(env.cb(function* () {
      yield User.create({ name: "Ann", email: "secret@x.io" });
      yield User.transaction(env.cb(function* () {
        yield User.query().where({ name: "Ann" }).all();
      }));
    }));
    await env.db.execute("select count(*) as n from ar_users where name = ?", ["Ann"]);
    stop();
    await User.query().count();
    const kinds = events.map((e) => e.sql.split(" ")[0].toUpperCase());
    for (const kind of ["CREATE", "INSERT", "SAVEPOINT", "SELECT", "RELEASE"]) {
      assert.ok(kinds.includes(kind), `${kind} reported: ${kinds}`);
    }
    assert.ok(kinds.includes("COMMIT"), "the transaction's end");
    assert.ok(kinds.some((k) => k === "BEGIN" || k === "START"), "the transaction's start");
    const insert = events.find((e) => e.sql.startsWith("INSERT"))!;
    assert.equal(insert.inTransaction, true);
    assert.equal(insert.rowCount, 1);
    assert.ok(insert.durationMs >= 0);
    assert.ok(!insert.params.includes("secret@x.io"), "values are redacted by default");
    assert.ok(insert.params.includes("[string]"));
    const raw = events.at(-1)!;
    assert.match(raw.sql, /^select count\(\*\) as n from ar_users/);
    assert.equal(raw.inTransaction, false);
    assert.equal(raw.rowCount, 1);
    assert.equal(raw.error, undefined);
    assert.equal(
      events.filter((e) => /^SELECT COUNT\(\*\) FROM/.test(e.sql)).length,
      0,
      "nothing after unsubscribing",
    );
  },
);

conformance("listeners that ask get values; failures are reported with their typed error", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const seen: QueryEvent[] = [];
  const stop = env.db.onQuery((event) => seen.push(event), { params: true });
  const lines: string[] = [];
  const stopLog = env.db.logQueries({ log: (line) => lines.push(line) });
  await User.create({ name: "Ann", email: "ann@x.io" });
  await Promise.resolve().then(() => env.db.execute("select * from ar_nothing_here")).catch(() => {});
  stop();
  stopLog();
  assert.ok(seen[0].params.includes("ann@x.io"));
  const failed = seen.at(-1)!;
  assert.ok(failed.error instanceof QueryError);
  assert.equal(failed.rowCount, 0);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^\[\d+\.\d ms\] INSERT INTO .* \(1 row\)$/);
  assert.ok(!lines[0].includes("ann@x.io"), "the log redacts values too unless asked");
  assert.match(lines[1], /FAILED: QueryError$/);
});

conformance("a throwing listener does not fail the statement it observed", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  const stop = env.db.onQuery(() => {
    throw new Error("listener bug");
  });
  try {
    await User.create({ name: "Ann", email: "ann@x.io" });
  } finally {
    stop();
    console.error = original;
  }
  assert.equal(await User.query().count(), 1);
  assert.equal(errors.length, 1);
});

conformance("assertQueries counts statements exactly", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const ann = await env.assertQueries(1, () => User.create({ name: "Ann", email: "a@x.io" }));
  await env.assertQueries(1, () => User.findOne(ann.id));
  await env.assertQueries(0, () => ann.save()); // nothing changed, nothing sent
  await assert.rejects(
    () => env.assertQueries(2, () => User.findOne(ann.id)),
    /expected 2 statement\(s\), 1 were sent/,
  );
});
