/**
 * sql.js persistence under faults: a store that throws, flushes during transactions, rollbacks,
 * a final save that fails, and an IndexedDB (fake-indexeddb) whose connection closes or fails to open.
 */
import assert from "node:assert/strict";
import { forceCloseDatabase, IDBFactory } from "fake-indexeddb";
import { connect, ConnectionError } from "../mod.ts";
import { type IdbFactory, IndexedDbStore, type PersistenceStore, SqlJsBackend } from "../backends/sqljs.ts";

/** A store whose saves can be made to throw (synchronously) or reject. */
class FaultyStore implements PersistenceStore {
  bytes: Uint8Array | undefined;
  saves = 0;
  fault: "none" | "throw" | "reject" = "none";
  load(): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.bytes);
  }
  save(bytes: Uint8Array): Promise<void> {
    if (this.fault === "throw") throw new Error("store broke synchronously");
    if (this.fault === "reject") return Promise.reject(new Error("disk full"));
    this.saves++;
    this.bytes = bytes.slice();
    return Promise.resolve();
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function rowsIn(store: PersistenceStore): Promise<number> {
  const copy = await SqlJsBackend.open({ bytes: await store.load() });
  try {
    return connect(copy).executeScalar("select count(*) from t") as number;
  } finally {
    await copy.close();
  }
}

Deno.test("sqljs: a store that throws synchronously is a reported failed save, not an uncaught error", async () => {
  const store = new FaultyStore();
  const errors: unknown[] = [];
  const backend = await SqlJsBackend.open({ store, onSaveError: (e) => errors.push(e) });
  const db = connect(backend);
  db.executeNonQuery("create table t (x integer)");
  store.fault = "throw";
  db.executeNonQuery("insert into t values (1)");
  await tick();
  assert.equal(errors.length, 1, "reported through onSaveError");
  await assert.rejects(() => backend.flush(), /store broke synchronously/);
  store.fault = "none";
  await backend.flush();
  assert.equal(await rowsIn(store), 1);
  await backend.close();
});

Deno.test("sqljs: flush() during an open transaction resolves only once the commit is saved", async () => {
  const store = new FaultyStore();
  const backend = await SqlJsBackend.open({ store });
  const db = connect(backend);
  db.executeNonQuery("create table t (x integer)");
  await backend.flush();
  using tx = db.begin();
  tx.executeNonQuery("insert into t values (1)");
  let flushed = false;
  const flushing = backend.flush().then(() => flushed = true);
  await tick();
  assert.equal(flushed, false, "it waits for the transaction");
  tx.commit();
  await flushing;
  assert.equal(await rowsIn(store), 1, "resolved with the committed row in the store");
  await backend.close();
});

Deno.test("sqljs: a rollback after an unsaved commit still saves that commit", async () => {
  const store = new FaultyStore();
  const errors: unknown[] = [];
  const backend = await SqlJsBackend.open({ store, onSaveError: (e) => errors.push(e) });
  const db = connect(backend);
  db.executeNonQuery("create table t (x integer)");
  await backend.flush();
  store.fault = "reject";
  db.executeNonQuery("insert into t values (1)");
  await tick();
  assert.equal(errors.length, 1);
  store.fault = "none";
  try {
    db.transaction((tx) => {
      tx.executeNonQuery("insert into t values (2)");
      throw new Error("undo");
    });
  } catch { /* rolled back */ }
  await tick();
  assert.equal(await rowsIn(store), 1, "the rollback rescheduled the pending save");
  await backend.close();
});

Deno.test("sqljs: close() whose final save fails rejects and leaves the database open and usable", async () => {
  const store = new FaultyStore();
  const backend = await SqlJsBackend.open({ store, onSaveError: () => {} });
  const db = connect(backend);
  db.executeNonQuery("create table t (x integer)");
  db.executeNonQuery("insert into t values (1)");
  store.fault = "reject";
  await assert.rejects(() => backend.close(), /disk full/);
  assert.equal(db.executeScalar("select count(*) from t"), 1, "still open, nothing lost");
  db.executeNonQuery("insert into t values (2)");
  store.fault = "none";
  await backend.close();
  assert.throws(() => db.executeScalar("select 1"), ConnectionError);
  assert.equal(await rowsIn(store), 2);
});

/** fake-indexeddb with faults: the next open fails, and every opened database is kept for closing. */
function faultyIndexedDb() {
  const real = new IDBFactory();
  const opened: unknown[] = [];
  let failOpens = 0;
  const factory: IdbFactory = {
    open(name, version) {
      if (failOpens > 0) {
        failOpens--;
        throw new DOMException("the disk is gone", "UnknownError");
      }
      const request = real.open(name, version);
      request.addEventListener("success", () => opened.push(request.result));
      return request as unknown as ReturnType<IdbFactory["open"]>;
    },
  };
  return { factory, opened, failNextOpen: () => failOpens++ };
}

Deno.test("sqljs: IndexedDbStore recovers after its connection is closed or an open fails", async () => {
  const idb = faultyIndexedDb();
  const store = new IndexedDbStore("faults", "main", { indexedDB: idb.factory });
  idb.failNextOpen();
  await assert.rejects(() => store.load(), /the disk is gone/);
  assert.equal(await store.load(), undefined, "a failed open is not kept: the next one works");

  const backend = await SqlJsBackend.open({ store });
  const db = connect(backend);
  db.executeNonQuery("create table t (x integer)");
  db.executeNonQuery("insert into t values (1)");
  await backend.flush();
  forceCloseDatabase(idb.opened.at(-1) as Parameters<typeof forceCloseDatabase>[0]);
  db.executeNonQuery("insert into t values (2)");
  await backend.flush(); // a closed connection is dropped and opened again
  assert.equal(idb.opened.length, 2);
  await backend.close();
  assert.equal(await rowsIn(store), 2);
});
