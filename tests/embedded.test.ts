/**
 * One SQLite connection with two faces (node:sqlite, better-sqlite3, sql.js): a sync caller never
 * runs inside an async caller's transaction, and async callers wait for a sync transaction.
 */
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { ActiveRecord, AsyncActiveRecord, type Backend, TransactionError } from "../mod.ts";
import { serverContext, SQLiteBackend } from "../backends/sqlite.ts";
import { SqlJsBackend } from "../backends/sqljs.ts";
import { users } from "./conformance/fixtures.ts";

const makers: [string, () => Promise<Backend & { close(): void | Promise<void> }>][] = [
  ["node:sqlite", () => Promise.resolve(new SQLiteBackend(":memory:"))],
  ["better-sqlite3", () => Promise.resolve(new SQLiteBackend(new Database(":memory:")))],
  ["sql.js", () => SqlJsBackend.open({ context: serverContext })],
];

/** A backend with a sync and an async model of the same table on it. */
async function bothFaces(make: () => Promise<Backend & { close(): void | Promise<void> }>) {
  const backend = await make();
  class User extends ActiveRecord.model(users) {}
  class AsyncUser extends AsyncActiveRecord.model(users) {}
  User.configure(backend);
  await AsyncUser.configure(backend);
  User.createTable();
  return { backend, User, AsyncUser };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

for (const [name, make] of makers) {
  Deno.test(`${name}: a sync call during an async transaction is refused, not run inside it`, async () => {
    const { backend, User, AsyncUser } = await bothFaces(make);
    try {
      await assert.rejects(() =>
        AsyncUser.transaction(async () => {
          await AsyncUser.create({ name: "Ann", email: "a@x.io" });
          assert.throws(() => User.create({ name: "Bob", email: "b@x.io" }), TransactionError);
          assert.throws(() => User.query().count(), TransactionError, "nor may it read uncommitted rows");
          assert.throws(() => User.transaction(() => {}), TransactionError);
          throw new Error("roll back");
        }), /roll back/);
      assert.equal(
        User.query().count(),
        0,
        "nothing of the rolled-back transaction, nor of the refused write",
      );
      User.create({ name: "Cid", email: "c@x.io" });
      assert.equal(User.query().count(), 1, "the sync face works again once the transaction ended");
    } finally {
      await backend.close();
    }
  });

  Deno.test(`${name}: async callers wait for a sync transaction left open across awaits`, async () => {
    const { backend, User, AsyncUser } = await bothFaces(make);
    try {
      const tx = User.begin();
      User.create({ name: "Ann", email: "a@x.io" });
      let seen: number | undefined;
      const counting = AsyncUser.query().count().then((n) => seen = n);
      await tick();
      assert.equal(seen, undefined, "the async read waits: it would see uncommitted rows");
      tx.rollback();
      await counting;
      assert.equal(seen, 0);
    } finally {
      await backend.close();
    }
  });
}
