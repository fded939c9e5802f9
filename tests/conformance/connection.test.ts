import assert from "node:assert/strict";
import { ArgumentError, sql } from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";

conformance("connection API: execute, executeScalar, executeNonQuery, transaction", async (env) => {
  const { db } = env;
  await db.executeNonQuery("drop table if exists ar_kv");
  await db.executeNonQuery("create table ar_kv (k varchar(20) primary key, v bigint)");
  try {
    assert.equal(
      await db.executeNonQuery("insert into ar_kv (k, v) values (?, ?), (?, ?)", ["a", 1, "b", 2]),
      2,
    );
    assert.equal(await db.executeNonQuery(sql`insert into ar_kv (k, v) values (${"big"}, ${2n ** 62n})`), 1);
    assert.deepEqual(await db.execute("select k, v from ar_kv where k in (?, ?) order by k", ["a", "b"]), [
      { k: "a", v: 1 },
      { k: "b", v: 2 },
    ]);
    assert.deepEqual(await db.execute(sql`select k from ar_kv where k in ${["a", "big"]} order by k`), [{
      k: "a",
    }, {
      k: "big",
    }]);
    assert.equal(
      await db.executeScalar("select v from ar_kv where k = ?", ["big"]),
      2n ** 62n,
      "exact beyond 2^53",
    );
    assert.equal(await db.executeScalar("select v from ar_kv where k = ?", ["zzz"]), undefined);
    assert.equal(await db.executeNonQuery("update ar_kv set v = v + 1 where k <> ?", ["big"]), 2);
    await rejects(
      () =>
        db.transaction(env.cb(function* (tx) {
          yield tx.executeNonQuery("delete from ar_kv");
          assert.equal(yield tx.executeScalar("select count(*) from ar_kv"), 0);
          throw new Error("undo");
        })),
      Error,
      /undo/,
    );
    assert.equal(await db.executeScalar("select count(*) from ar_kv"), 3);
    const kept = await db.transaction(env.cb(function* (tx) {
      yield tx.executeNonQuery("delete from ar_kv where k = ?", ["a"]);
      return "ok";
    }));
    assert.equal(kept, "ok");
    assert.equal(await db.executeScalar("select count(*) from ar_kv"), 2);
  } finally {
    await db.executeNonQuery("drop table ar_kv");
  }
});

conformance(
  "raw SQL is lexed as the database lexes it: a backslash and a ? in a literal are text",
  async (env) => {
    // MySQL strings take backslash escapes; SQLite and PostgreSQL strings do not.
    const path = env.target.capabilities.has("backslash-escapes") ? "'C:\\\\'" : "'C:\\'";
    assert.deepEqual(await env.db.execute(`select ${path} as p, ? as n, 'why?' as q`, ["x"]), [
      { p: "C:\\", n: "x", q: "why?" },
    ]);
    assert.equal(await env.db.executeScalar("select ? /* a ? in a comment */", ["y"]), "y");
    await rejects(() => env.db.execute(`select ${path}, ?`, []), ArgumentError, /1 placeholder\(s\) but 0/);
  },
);
