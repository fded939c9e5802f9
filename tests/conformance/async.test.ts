import assert from "node:assert/strict";
import {
  column,
  connectAsync,
  defineSchema,
  QueryError,
  type Transaction,
  TransactionError,
} from "../../mod.ts";
import { conformance, type Env, rejects } from "./harness.ts";
import { posts, users } from "./fixtures.ts";

const accounts = defineSchema("ar_accounts", {
  id: column.integer().primaryKey(),
  owner: column.text(),
  balance: column.integer(),
});

const asyncOnly = { only: (t: { mode: string }) => t.mode === "async" };

conformance("queries through any model inside the callback join the transaction", async (env) => {
  const User = await env.model(users);
  const Post = await env.model(posts);
  await env.createTables(User, Post);
  await rejects(
    () =>
      User.transaction(async () => {
        const ann = await User.create({ name: "Ann", email: "a@x.io" });
        await Promise.all([
          Post.create({ userId: ann.id, title: "one" }),
          Post.create({ userId: ann.id, title: "two" }),
        ]);
        assert.equal(await Post.query().count(), 2, "the other model sees the transaction's rows");
        await new Promise((resolve) => setTimeout(resolve, 5)); // the context survives timers
        assert.equal(await User.query().count(), 1);
        throw new Error("undo both");
      }),
    Error,
    /undo both/,
  );
  assert.equal(await User.query().count(), 0);
  assert.equal(await Post.query().count(), 0);
}, asyncOnly);

conformance("the handle passed to the callback runs SQL in the transaction", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  await User.transaction(async (tx) => {
    await tx.executeNonQuery(
      "insert into ar_users (name, email, is_active, created_at) values (?, ?, ?, ?)",
      ["Ann", "a@x.io", true, new Date()],
    );
    assert.equal(await tx.executeScalar("select count(*) from ar_users"), 1);
    assert.equal((await User.findOneOrFail({ name: "Ann" })).email, "a@x.io");
    await tx.transaction(async (inner) => {
      assert.equal(inner.isNested, true);
      await User.create({ name: "Bob", email: "b@x.io" });
      await inner.rollback();
    });
  });
  assert.deepEqual(await User.query().pluck("name"), ["Ann"]);
}, asyncOnly);

async function bank(env: Env) {
  const Account = await env.model(accounts);
  await env.createTables(Account);
  await Account.insertMany(Array.from({ length: 5 }, (_, i) => ({ owner: `owner${i}`, balance: 1000 })));
  const ids = (await Account.query().orderBy("id").pluck("id")) as number[];
  /** Moves money; locks both rows in key order so that concurrent transfers cannot deadlock. */
  const transfer = (from: number, to: number, amount: number, fail: boolean) =>
    Account.transaction(async () => {
      const [first, second] = from < to ? [from, to] : [to, from];
      await Account.query().where({ id: first }).forUpdate().one();
      await Account.query().where({ id: second }).forUpdate().one();
      const source = await Account.findOneOrFail(from);
      source.balance -= amount;
      await source.save();
      if (fail) throw new Error("transfer refused");
      const target = await Account.findOneOrFail(to);
      target.balance += amount;
      await target.save();
    });
  return { Account, ids, transfer };
}

conformance("50 concurrent transfers, some failing on purpose, keep the total", async (env) => {
  const { Account, ids, transfer } = await bank(env);
  const expected = new Map(ids.map((id) => [id, 1000]));
  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => {
    const from = ids[i % 5];
    const to = ids[(i * 3 + 1) % 5 === i % 5 ? (i + 1) % 5 : (i * 3 + 1) % 5];
    const amount = 1 + (i % 7);
    const fail = i % 4 === 0;
    if (!fail) {
      expected.set(from, expected.get(from)! - amount);
      expected.set(to, expected.get(to)! + amount);
    }
    return transfer(from, to, amount, fail);
  }));
  assert.equal(outcomes.filter((o) => o.status === "rejected").length, 13);
  for (const outcome of outcomes) {
    if (outcome.status === "rejected") assert.match(String(outcome.reason), /transfer refused/);
  }
  assert.equal(await Account.query().sum("balance"), 5000);
  for (const account of await Account.findAll()) assert.equal(account.balance, expected.get(account.id));
}, asyncOnly);

conformance("independent queries under Promise.all run on separate pooled connections", async (env) => {
  // Each query sleeps a moment, so the four are in flight at the same time.
  const plain = await Promise.all(
    Array.from({ length: 4 }, () => env.db.executeScalar(env.target.sleepySessionIdSql!)),
  );
  assert.equal(new Set(plain).size, 4, `four sessions, got ${plain.join(", ")}`);
  const inTransactions = await Promise.all(
    Array.from(
      { length: 4 },
      () => env.db.transaction(async (tx) => await tx.executeScalar(env.target.sleepySessionIdSql!)),
    ),
  );
  assert.equal(new Set(inTransactions).size, 4, "concurrent transactions never share a connection");
}, { requires: ["pool"] });

conformance("a query outside a transaction never sees its uncommitted rows", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let inserted!: () => void;
  const ready = new Promise<void>((resolve) => inserted = resolve);
  const tx = User.transaction(async () => {
    await User.create({ name: "Ann", email: "a@x.io" });
    inserted();
    await gate;
  });
  await ready;
  assert.equal(await User.query().count(), 0, "outside: the row is not visible before commit");
  assert.equal(await env.db.executeScalar("select count(*) from ar_users"), 0);
  release();
  await tx;
  assert.equal(await User.query().count(), 1, "visible after commit");
}, { requires: ["pool"] });

conformance("isolation levels are honoured and read-only transactions refuse writes", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const ann = await User.create({ name: "Ann", email: "a@x.io", age: 1 });
  // A transaction reads, another connection commits a change, the transaction reads again.
  const rereads = async (
    isolation: "read committed" | "repeatable read" | "serializable",
  ): Promise<unknown[]> =>
    await (User.transaction as (fn: unknown, o: unknown) => Promise<unknown[]>)(
      async (tx: Transaction<"async">) => {
        const before = await tx.executeScalar("select age from ar_users where id = ?", [ann.id]);
        // Its own backend, so its own engine: it cannot join the transaction.
        const other = await connectAsync(env.beside());
        try {
          await other.executeNonQuery("update ar_users set age = age + 1 where id = ?", [ann.id]);
        } finally {
          await other.close();
        }
        return [before, await tx.executeScalar("select age from ar_users where id = ?", [ann.id])];
      },
      { isolation },
    );
  const committed = await rereads("read committed");
  assert.equal(committed[1], Number(committed[0]) + 1, "read committed sees the other commit");
  const repeatable = await rereads("repeatable read");
  assert.equal(repeatable[1], repeatable[0], "repeatable read does not");
  await User.transaction(async () => {
    await User.query().count();
  }, { isolation: "serializable" });
  await rejects(
    () =>
      User.transaction(async () => {
        assert.equal(await User.query().count(), 1, "reads work");
        await User.create({ name: "Bob", email: "b@x.io" });
      }, { readOnly: true }),
    QueryError,
    /read.only/i,
  );
  assert.equal(await User.query().count(), 1);
  await rejects(() => User.transaction(() => {}, { behavior: "immediate" }), TransactionError, /SQLite's/);
}, { requires: ["isolation-levels"] });

conformance("models join a begin() transaction inside tx.run(); dispose rolls back", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  {
    await using tx = await User.begin();
    const made = await tx.run(async () => {
      await User.create({ name: "Ann", email: "a@x.io" });
      return await User.query().count();
    });
    assert.equal(made, 1, "visible inside");
    assert.equal(await tx.executeScalar("select count(*) from ar_users"), 1);
  }
  assert.equal(await User.query().count(), 0, "disposed without commit");
  {
    await using tx = await User.begin();
    await tx.run(async () => await User.create({ name: "Bob", email: "b@x.io" }));
    await tx.commit();
    await rejects(() => tx.run(() => 1), TransactionError, /no longer active/);
  }
  assert.deepEqual(await User.query().pluck("name"), ["Bob"]);
}, asyncOnly);
