import assert from "node:assert/strict";
import { QueryError, type QueryEvent } from "../../mod.ts";
import { conformance, type Env, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

async function many(env: Env, count: number) {
  const User = await env.model(users);
  await env.createTables(User);
  await User.insertMany(
    Array.from(
      { length: count },
      (_, i) => ({ name: `u${String(i).padStart(3, "0")}`, email: `u${i}@x.io`, age: i }),
    ),
  );
  return User;
}

/** Every record of an `iterate()` in sync or async mode. */
async function collect<T>(records: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  if (Symbol.asyncIterator in records) { for await (const r of records as AsyncIterable<T>) out.push(r); }
  else for (const r of records as Iterable<T>) out.push(r);
  return out;
}

conformance(
  "iterate() reads every record in order, across batch boundaries, as model instances",
  async (env) => {
    const User = await many(env, 25);
    const events: QueryEvent[] = [];
    const stop = env.db.onQuery((e) => events.push(e));
    const records = await collect(
      User.query().where("age >= ?", [3]).orderBy("age").iterate({ batchSize: 10 }),
    );
    stop();
    assert.equal(records.length, 22);
    assert.ok(records.every((r) => r instanceof User));
    assert.deepEqual(records.slice(0, 2).map((r) => r.name), ["u003", "u004"]);
    assert.equal(records.at(-1)!.age, 24);
    assert.ok(records[0].createdAt instanceof Date, "values are decoded");
    const selects = events.filter((e) => /^SELECT/.test(e.sql));
    assert.equal(selects.length, 1, "one statement, reported once");
    assert.equal(selects[0].rowCount, 22);
    assert.equal((await collect(User.query().where({ name: "nobody" }).iterate())).length, 0);
  },
);

conformance(
  "each() calls the callback for every record and returns the count; async callbacks are awaited",
  async (env) => {
    const User = await many(env, 12);
    const names: string[] = [];
    const callback = (user: { name: string }) => {
      if (env.mode === "sync") return void names.push(user.name);
      return new Promise<void>((resolve) => setTimeout(() => resolve(void names.push(user.name)), 1));
    };
    assert.equal(await User.query().orderBy("name").each(callback, { batchSize: 5 }), 12);
    assert.equal(names.length, 12);
    assert.deepEqual(names, [...names].sort(), "in order, one at a time");
    if (env.mode === "sync") {
      assert.throws(() => User.query().each(() => Promise.resolve()), TypeError);
    }
    await rejects(
      () => User.query().each(() => {}, { batchSize: 0 }),
      Error,
      /batchSize must be an integer >= 1/,
    );
  },
);

conformance("stopping early closes the cursor: the connection is free again", async (env) => {
  const User = await many(env, 30);
  for (let round = 0; round < 8; round++) {
    // More rounds than the test pools have connections: a leaked one would make the next query wait forever.
    const records = User.query().orderBy("id").iterate({ batchSize: 4 });
    if (Symbol.asyncIterator in records) {
      for await (const _ of records as AsyncIterable<unknown>) break;
    } else {
      for (const _ of records as Iterable<unknown>) break;
    }
  }
  assert.equal(await User.query().count(), 30);
});

conformance(
  "inside a transaction, iterate() sees its rows and the loop body may write in it",
  async (env) => {
    const User = await many(env, 9);
    await User.transaction(env.cb(function* () {
      yield User.create({ name: "uncommitted", email: "new@x.io", age: 100 });
      const seen: string[] = [];
      const records = User.query().orderBy("age").iterate({ batchSize: 3 });
      if (env.mode === "sync") {
        for (const user of records as Iterable<InstanceType<typeof User>>) {
          seen.push(user.name);
          user.age = (user.age ?? 0) + 1000;
          user.save();
        }
      } else {
        yield (async () => {
          for await (const user of records as unknown as AsyncIterable<InstanceType<typeof User>>) {
            seen.push(user.name);
            user.age = (user.age ?? 0) + 1000;
            await user.save(); // a statement of the same transaction between batches
          }
        })();
      }
      assert.equal(seen.length, 10);
      assert.equal(seen.at(-1), "uncommitted");
    }));
    assert.equal(await User.query().where("age >= ?", [1000]).count(), 10);
  },
);

conformance("a failing streamed query is a typed error", async (env) => {
  const User = await many(env, 3);
  await rejects(() => collect(User.query().where("no_such_column > ?", [1]).iterate()), QueryError);
  assert.equal(await User.query().count(), 3);
});
