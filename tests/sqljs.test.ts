/** sql.js-specific behaviour: bytes in and out, persistence to a store, the browser's missing async context. */
import assert from "node:assert/strict";
import { ActiveRecord, AsyncActiveRecord, connect, ConnectionError } from "../mod.ts";
import { type PersistenceStore, SqlJsBackend } from "../backends/sqljs.ts";
import { users } from "./conformance/fixtures.ts";

/** A store that keeps the last saved bytes and counts saves (the bytes are a real database file). */
class CountingStore implements PersistenceStore {
  bytes: Uint8Array | undefined;
  saves = 0;
  failNext = false;
  load(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.bytes);
  }
  save(bytes: Uint8Array): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error("disk full"));
    }
    this.saves++;
    this.bytes = bytes.slice();
    return Promise.resolve();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

Deno.test("sqljs: export() and open({ bytes }) carry the whole database", async () => {
  const backend = await SqlJsBackend.open();
  class User extends ActiveRecord.model(users) {}
  User.configure(backend);
  User.createTable();
  User.create({ name: "Ann", email: "a@x.io" });
  const bytes = backend.export();
  assert.ok(bytes instanceof Uint8Array && bytes.length > 0);
  User.create({ name: "Bob", email: "b@x.io" }); // statements keep working after export
  await backend.close();

  const copy = await SqlJsBackend.open({ bytes });
  User.configure(copy);
  assert.deepEqual(User.query().pluck("name"), ["Ann"]);
  await copy.close();
});

Deno.test("sqljs: a burst of auto-committed writes costs one save; a transaction saves at commit", async () => {
  const store = new CountingStore();
  const backend = await SqlJsBackend.open({ store });
  class User extends ActiveRecord.model(users) {}
  User.configure(backend);
  User.createTable();
  for (let i = 0; i < 100; i++) User.create({ name: `u${i}`, email: `u${i}@x.io` });
  assert.equal(store.saves, 0, "nothing is saved while the burst runs");
  await tick();
  assert.equal(store.saves, 1, "the table and 100 rows: one save");

  User.query().count();
  await tick();
  assert.equal(store.saves, 1, "reads save nothing");

  using tx = User.begin();
  User.create({ name: "in tx", email: "tx@x.io" });
  await tick();
  assert.equal(store.saves, 1, "nothing is saved before commit");
  tx.commit();
  await tick();
  assert.equal(store.saves, 2);

  User.transaction(() => User.create({ name: "rolled", email: "r@x.io" }) && undefined);
  try {
    User.transaction(() => {
      User.create({ name: "gone", email: "g@x.io" });
      throw new Error("undo");
    });
  } catch { /* rolled back */ }
  await tick();
  assert.equal(store.saves, 3, "the committed transaction saved; the rolled-back one did not add a save");

  const reopened = await SqlJsBackend.open({ store });
  class Again extends ActiveRecord.model(users) {}
  Again.configure(reopened);
  assert.equal(Again.query().count(), 102);
  assert.equal(Again.query().where({ name: "gone" }).count(), 0);
  await reopened.close();
  await backend.close();
});

Deno.test("sqljs: close() flushes what is committed; a failed save is reported and retried", async () => {
  const store = new CountingStore();
  const errors: unknown[] = [];
  const backend = await SqlJsBackend.open({ store, onSaveError: (e) => errors.push(e) });
  const db = connect(backend);
  db.executeNonQuery("create table t (x integer)");
  store.failNext = true;
  await tick();
  assert.equal(errors.length, 1, "the failure is reported");
  db.executeNonQuery("insert into t values (1)");
  await backend.close(); // flushes: the retry saves both changes
  assert.equal(store.saves, 1);
  const reopened = await SqlJsBackend.open({ store });
  assert.equal(connect(reopened).executeScalar("select count(*) from t"), 1);
  await reopened.close();
});

Deno.test("sqljs without an async context (as in browsers): the callback's queries join the transaction", async () => {
  const backend = await SqlJsBackend.open(); // no context given
  class User extends AsyncActiveRecord.model(users) {}
  await User.configure(backend);
  await User.createTable();
  await assert.rejects(
    () =>
      User.transaction(async () => {
        await User.create({ name: "Ann", email: "a@x.io" });
        await User.transaction(async () => await User.create({ name: "Bob", email: "b@x.io" }));
        assert.equal(await User.query().count(), 2);
        throw new Error("undo");
      }),
    /undo/,
  );
  assert.equal(await User.query().count(), 0);
  await backend.close();
});

Deno.test("sqljs: bytes that are not a SQLite database are a ConnectionError at open", async () => {
  const bytes = new TextEncoder().encode("this is a text file, not a database; ".repeat(10));
  await assert.rejects(() => SqlJsBackend.open({ bytes }), ConnectionError);
});
