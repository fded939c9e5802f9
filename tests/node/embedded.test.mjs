// The built npm package on Node, embedded databases: SQLite (node:sqlite where Node has it, else
// better-sqlite3) and sql.js, each with a sync and an async model on the same database.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ActiveRecord,
  ActiveRecordError,
  AsyncActiveRecord,
  column,
  connect,
  defineSchema,
  UniqueViolationError,
  ValidationError,
} from "@rho/activerecord";
import { SQLiteBackend } from "@rho/activerecord/sqlite";
import { SqlJsBackend } from "@rho/activerecord/sqljs";

const users = defineSchema("node_users", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(20),
  email: column.text().unique(),
  isActive: column.boolean().default(true),
});

/** CRUD, a transaction that rolls back, and typed errors, on `backend` in both modes. */
async function exercise(backend) {
  class User extends ActiveRecord.model(users) {}
  class AsyncUser extends AsyncActiveRecord.model(users) {}
  User.configure(backend);
  await AsyncUser.configure(backend);
  User.createTable();
  const ann = User.create({ name: "Ann", email: "ann@example.com" });
  assert.equal(typeof ann.id, "number");
  assert.equal(User.findOneOrFail(ann.id).isActive, true);
  const bob = await AsyncUser.create({ name: "Bob", email: "bob@example.com" });
  assert.equal(await AsyncUser.query().count(), 2);
  assert.throws(() => User.create({ name: "x".repeat(30), email: "x@example.com" }), ValidationError);
  assert.throws(
    () => User.create({ name: "Dup", email: "ann@example.com" }),
    (e) => e instanceof UniqueViolationError && e instanceof ActiveRecordError,
  );
  await assert.rejects(
    AsyncUser.transaction(async () => {
      await AsyncUser.create({ name: "Cid", email: "cid@example.com" });
      throw new Error("roll back");
    }),
    /roll back/,
  );
  assert.deepEqual(User.query().orderBy("name").pluck("name"), ["Ann", "Bob"]);
  User.transaction(() => {
    User.updateAll({ isActive: false }, { id: bob.id });
  });
  assert.equal((await AsyncUser.findOneOrFail(bob.id)).isActive, false);
  const db = connect(backend);
  assert.equal(db.executeScalar("select count(*) from node_users"), 2);
}

test("SQLite: sync and async models, a transaction, error classes", async () => {
  const backend = new SQLiteBackend(":memory:");
  try {
    await exercise(backend);
  } finally {
    backend.close();
  }
});

test("sql.js: sync and async models, a transaction, error classes", async () => {
  const backend = await SqlJsBackend.open();
  try {
    await exercise(backend);
  } finally {
    await backend.close();
  }
});
