import assert from "node:assert/strict";
import { QueryError, TransactionError } from "../../mod.ts";
import { conformance, type Env, fails, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

async function setup(env: Env) {
  const User = await env.model(users);
  await env.createTables(User);
  const count = async () => await User.query().count();
  return { User, count };
}

conformance("transaction commits and returns the callback's value", async (env) => {
  const { User, count } = await setup(env);
  const result = await User.transaction(env.cb(function* () {
    yield User.create({ name: "Ann", email: "a@x.io" });
    yield User.create({ name: "Bob", email: "b@x.io" });
    return "done";
  }));
  assert.equal(result, "done");
  assert.equal(await count(), 2);
});

conformance("a thrown error rolls back and is rethrown as is", async (env) => {
  const { User, count } = await setup(env);
  const boom = new Error("boom");
  const caught = await rejects(
    () =>
      User.transaction(env.cb(function* () {
        yield User.create({ name: "Ann", email: "a@x.io" });
        assert.equal(yield User.query().count(), 1, "visible inside");
        throw boom;
      })),
    Error,
  );
  assert.equal(caught, boom);
  assert.equal(await count(), 0);
  // The connection is usable afterwards.
  await User.create({ name: "Bob", email: "b@x.io" });
  assert.equal(await count(), 1);
});

conformance("nested transactions are savepoints", async (env) => {
  const { User, count } = await setup(env);
  await User.transaction(env.cb(function* () {
    yield User.create({ name: "Ann", email: "a@x.io" });
    try {
      yield User.transaction(env.cb(function* (inner) {
        assert.equal(inner.isNested, true);
        yield User.create({ name: "Bob", email: "b@x.io" });
        throw new Error("inner fails");
      }));
    } catch (e) {
      assert.equal((e as Error).message, "inner fails");
    }
    yield User.transaction(env.cb(function* () {
      yield User.create({ name: "Cid", email: "c@x.io" });
    }));
  }));
  assert.deepEqual(await User.query().orderBy("name").pluck("name"), ["Ann", "Cid"]);
  assert.ok(env.statements.some((s) => /^SAVEPOINT/.test(s)));

  await rejects(
    () =>
      User.transaction(env.cb(function* () {
        yield User.transaction(env.cb(function* () {
          yield User.create({ name: "Dee", email: "d@x.io" });
        }));
        throw new Error("outer fails");
      })),
    Error,
    /outer fails/,
  );
  assert.equal(await count(), 2, "a committed savepoint is undone with its transaction");
});

conformance("explicit savepoints on the handle", async (env) => {
  const { User } = await setup(env);
  await User.transaction(env.cb(function* (tx) {
    yield User.create({ name: "Ann", email: "a@x.io" });
    const sp: string = yield tx.savepoint();
    yield User.create({ name: "Bob", email: "b@x.io" });
    yield tx.rollbackToSavepoint(sp);
    yield User.create({ name: "Cid", email: "c@x.io" });
    const named: string = yield tx.savepoint("before_dee");
    assert.equal(named, "before_dee");
    yield User.create({ name: "Dee", email: "d@x.io" });
    yield tx.releaseSavepoint("before_dee");
    assert.equal(yield tx.executeScalar("select count(*) from ar_users"), 3, "the handle runs SQL inside");
  }));
  assert.deepEqual(await User.query().orderBy("name").pluck("name"), ["Ann", "Cid", "Dee"]);
  await rejects(() => User.transaction((tx) => tx.savepoint("bad name; drop")), Error, /plain identifier/);
});

conformance(
  "savepoint names are tracked: unknown ones fail before any SQL and the transaction goes on",
  async (env) => {
    const { User } = await setup(env);
    await User.transaction(env.cb(function* (tx) {
      yield User.create({ name: "Ann", email: "a@x.io" });
      const before = env.statements.length;
      yield fails(() => tx.releaseSavepoint("nope"), TransactionError, /"nope": it is not set/);
      yield fails(() => tx.rollbackToSavepoint("nope"), TransactionError, /not set/);
      assert.equal(env.statements.length, before, "nothing was sent");
      yield tx.savepoint("a");
      yield User.create({ name: "Bob", email: "b@x.io" });
      yield tx.savepoint("b");
      yield User.create({ name: "Cid", email: "c@x.io" });
      yield tx.rollbackToSavepoint("a"); // a stays set; b is gone
      yield fails(() => tx.releaseSavepoint("b"), TransactionError, /"b": it is not set/);
      yield User.create({ name: "Dee", email: "d@x.io" });
      yield tx.rollbackToSavepoint("a"); // again: a is still set
      yield tx.savepoint("c");
      yield User.create({ name: "Eve", email: "e@x.io" });
      yield tx.releaseSavepoint("a"); // releases c with it, keeping Eve
      yield fails(() => tx.releaseSavepoint("c"), TransactionError);
      yield fails(() => tx.releaseSavepoint("a"), TransactionError, /already released/);
      // The transaction is still usable (on PostgreSQL a failed RELEASE would have aborted it).
      assert.equal(yield User.query().count(), 2);
    }));
    assert.deepEqual(await User.query().orderBy("name").pluck("name"), ["Ann", "Eve"]);
  },
);

conformance(
  "the outer handle cannot set or end savepoints while a nested transaction is open",
  async (env) => {
    const { User } = await setup(env);
    await User.transaction(env.cb(function* (outer) {
      yield outer.savepoint("outer_mark");
      yield User.transaction(env.cb(function* (inner) {
        yield fails(() => outer.savepoint("x"), TransactionError, /nested transaction is open/);
        yield fails(() => outer.rollbackToSavepoint("outer_mark"), TransactionError, /nested/);
        yield inner.savepoint("inner_mark");
        yield User.create({ name: "Ann", email: "a@x.io" });
        yield inner.rollbackToSavepoint("inner_mark");
      }));
      yield outer.releaseSavepoint("outer_mark"); // usable again once the nested one ended
      yield User.create({ name: "Bob", email: "b@x.io" });
    }));
    assert.deepEqual(await User.query().pluck("name"), ["Bob"]);
  },
);

conformance("begin() returns a handle that rolls back when disposed", async (env) => {
  const { User, count } = await setup(env);
  {
    await using tx = await User.begin();
    await tx.executeNonQuery(
      "insert into ar_users (name, email, is_active, created_at) values (?, ?, ?, ?)",
      [
        "Ann",
        "a@x.io",
        true,
        new Date(),
      ],
    );
    assert.equal(await tx.executeScalar("select count(*) from ar_users"), 1);
  }
  assert.equal(await count(), 0, "disposed without commit: rolled back");
  {
    await using tx = await User.begin();
    await tx.execute(
      "insert into ar_users (name, email, is_active, created_at) values ('Bob', 'b@x.io', ?, ?)",
      [
        true,
        new Date(),
      ],
    );
    await tx.commit();
    assert.equal(tx.isActive, false);
    await rejects(() => tx.commit(), TransactionError, /no longer active: it was committed/);
    await rejects(() => tx.execute("select 1"), TransactionError, /no longer active/);
  }
  assert.equal(await count(), 1);
});

conformance("a handle used after its transaction ended is a TransactionError", async (env) => {
  const { User } = await setup(env);
  let kept: { executeScalar(sql: string): unknown } | undefined;
  await User.transaction((tx) => {
    kept = tx;
  });
  await rejects(
    () => kept!.executeScalar("select 1"),
    TransactionError,
    /no longer active: it was committed/,
  );
  await User.transaction(env.cb(function* (tx) {
    yield tx.rollback();
    assert.equal(tx.isActive, false);
  }));
});

conformance("isolation levels SQLite cannot honour are rejected before BEGIN", async (env) => {
  const { User } = await setup(env);
  const sent = env.statements.length;
  for (const isolation of ["read uncommitted", "read committed", "repeatable read"] as const) {
    await rejects(
      () => User.transaction(() => {}, { isolation }),
      TransactionError,
      /SQLite cannot honour isolation/,
    );
  }
  await rejects(
    () => User.transaction(() => {}, { behavior: "lazy" as never }),
    TransactionError,
    /behavior/,
  );
  assert.equal(env.statements.length, sent);
  await User.transaction(() => {}, { isolation: "serializable" });
  await User.transaction(env.cb(function* () {
    let nested: unknown;
    try {
      yield User.transaction(() => {}, { isolation: "serializable" });
    } catch (error) {
      nested = error;
    }
    assert.ok(nested instanceof TransactionError && /outermost/.test(nested.message));
  }));
}, { requires: ["sqlite"] });

conformance("SQLite begin modes and read-only transactions", async (env) => {
  const { User, count } = await setup(env);
  await User.transaction(() => {});
  await User.transaction(() => {}, { behavior: "exclusive" });
  await User.transaction(() => {}, { behavior: "deferred" });
  const begins = env.statements.filter((s) => s.startsWith("BEGIN"));
  assert.deepEqual(begins, ["BEGIN IMMEDIATE", "BEGIN EXCLUSIVE", "BEGIN DEFERRED"]);
  await rejects(
    () =>
      User.transaction(
        env.cb(function* () {
          assert.equal(yield User.query().count(), 0, "reads work");
          yield User.create({ name: "Ann", email: "a@x.io" });
        }),
        { readOnly: true },
      ),
    QueryError,
    /readonly/,
  );
  await User.create({ name: "Ann", email: "a@x.io" });
  assert.equal(await count(), 1, "writes work again after a read-only transaction");
}, { requires: ["sqlite"] });

conformance("a sync transaction given an async callback throws TypeError and rolls back", async (env) => {
  const { User, count } = await setup(env);
  await rejects(
    () =>
      User.transaction(async () => {
        await Promise.resolve();
      }),
    TypeError,
    /returned a Promise/,
  );
  assert.equal(await count(), 0);
  await User.create({ name: "Ann", email: "a@x.io" });
  assert.equal(await count(), 1);
}, { requires: ["sync"] });

conformance("async: queries outside a transaction wait for it and never see its rows", async (env) => {
  const { User, count } = await setup(env);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let inside!: () => void;
  const entered = new Promise<void>((resolve) => inside = resolve);
  const tx = User.transaction(async () => {
    await User.create({ name: "Ann", email: "a@x.io" });
    inside();
    await gate;
    throw new Error("roll back");
  }) as unknown as Promise<void>;
  await entered;
  let outsideDone = false;
  const outside = (User.query().count() as unknown as Promise<number>).then((n) => (outsideDone = true, n));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(outsideDone, false, "the outside query waits");
  release();
  await assert.rejects(tx, /roll back/);
  assert.equal(await outside, 0, "and never saw the uncommitted row");
  assert.equal(await count(), 0);
}, { only: (t) => t.mode === "async" && !t.capabilities.has("pool") });
