/**
 * A browser app's start-up: open the sql.js database from IndexedDB (fake-indexeddb here), migrate
 * it, use it; the next start finds the migrations applied and the rows kept.
 */
import assert from "node:assert/strict";
import { IDBFactory } from "fake-indexeddb";
import { column, connect, defineMigration, Migrator } from "../mod.ts";
import { type IdbFactory, IndexedDbStore, SqlJsBackend } from "../backends/sqljs.ts";

const createTodos = defineMigration({
  id: "001_todos",
  up: (m) => m.createTable("todos", { id: column.integer().primaryKey(), title: column.text() }),
  down: (m) => m.dropTable("todos"),
});
const addDone = defineMigration({
  id: "002_done",
  up: (m) => m.addColumn("todos", "done", column.boolean().default(false)),
  down: (m) => m.dropColumn("todos", "done"),
});

/** What the app does when it starts: open, migrate, and hand back the connection. */
async function start(factory: IdbFactory, migrations = [createTodos, addDone]) {
  const backend = await SqlJsBackend.open({
    store: new IndexedDbStore("app", "main", { indexedDB: factory }),
  });
  const db = connect(backend);
  const report = new Migrator(db, { migrations }).up();
  return { backend, db, report };
}

Deno.test("sqljs: an IndexedDB-persisted database migrates on start-up and keeps what it applied", async () => {
  const factory = new IDBFactory() as unknown as IdbFactory;
  const first = await start(factory, [createTodos]);
  assert.deepEqual(first.report.steps.map((s) => s.id), ["001_todos"]);
  first.db.executeNonQuery("insert into todos (title) values ('write tests')");
  await first.backend.close();

  const second = await start(factory);
  assert.deepEqual(second.report.steps.map((s) => s.id), ["002_done"], "only the new migration runs");
  assert.deepEqual(second.db.execute("select title, done from todos"), [{ title: "write tests", done: 0 }]);
  await second.backend.close();

  const third = await start(factory);
  assert.deepEqual(third.report.steps, []);
  assert.deepEqual(
    new Migrator(third.db, { migrations: [createTodos, addDone] }).status().map((s) => s.state),
    ["applied", "applied"],
  );
  await third.backend.close();
});
