import assert from "node:assert/strict";
import {
  ArgumentError,
  column,
  defineSchema,
  RecordDeletedError,
  RecordNotFoundError,
  UniqueViolationError,
  ValidationError,
} from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

conformance("save inserts, sets the key, applies defaults", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const before = Date.now();
  const u = new User({ name: "Ann", email: "ann@example.com" });
  assert.equal(u.isNewRecord, true);
  assert.equal(u.isActive, true, "client-side default applied on new");
  assert.equal(await u.save(), u);
  assert.equal(u.isNewRecord, false);
  assert.equal(typeof u.id, "number");
  assert.ok(u.createdAt instanceof Date && u.createdAt.getTime() >= before - 1);
  const rows = await env.db.execute("select id, name from ar_users");
  assert.deepEqual(rows, [{ id: u.id, name: "Ann" }]);
  const second = await User.create({ name: "Bob", email: "bob@example.com" });
  assert.equal(second.id, u.id + 1);
});

conformance("save of a stored record writes only its changed columns", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const u = await User.create({ name: "Ann", email: "ann@example.com", age: 30 });
  assert.equal(u.isDirty(), false);
  assert.deepEqual(u.dirtyFields, []);
  // Another writer changes a different column behind the record's back.
  await env.db.executeNonQuery("update ar_users set age = ? where id = ?", [41, u.id]);
  u.name = "Annie";
  assert.equal(u.isDirty(), true);
  assert.equal(u.isDirty("name"), true);
  assert.equal(u.isDirty("age"), false);
  assert.deepEqual(u.dirtyFields, ["name"]);
  await u.save();
  assert.equal(u.isDirty(), false);
  const stored = await User.findOneOrFail(u.id);
  assert.equal(stored.name, "Annie");
  assert.equal(stored.age, 41, "the untouched column kept the other writer's value");
  // Setting a value back to what is stored is not a change.
  stored.name = "Annie";
  assert.equal(stored.isDirty(), false);
});

conformance("find by key, by conditions, by keys, by SQL", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const [a, b, c] = [
    await User.create({ name: "Ann", email: "a@x.io", age: 30 }),
    await User.create({ name: "Bob", email: "b@x.io", age: 40, isActive: false }),
    await User.create({ name: "Cid", email: "c@x.io", age: 50 }),
  ];
  assert.equal((await User.findOne(b.id))?.name, "Bob");
  assert.ok((await User.findOne(b.id)) instanceof User);
  assert.equal(await User.findOne(999), undefined);
  assert.equal((await User.findOne({ email: "c@x.io" }))?.id, c.id);
  assert.equal((await User.findOneOrFail(a.id)).email, "a@x.io");
  const missing = await rejects(() => User.findOneOrFail(999), RecordNotFoundError);
  assert.equal(missing.table, "ar_users");
  assert.deepEqual((await User.findAll()).map((u) => u.name).sort(), ["Ann", "Bob", "Cid"]);
  assert.deepEqual((await User.findAll({ isActive: true })).map((u) => u.name).sort(), ["Ann", "Cid"]);
  assert.deepEqual((await User.findAll([a.id, c.id])).map((u) => u.name).sort(), ["Ann", "Cid"]);
  assert.deepEqual(await User.findAll([]), []);
  assert.deepEqual((await User.findAll("age > ?", [35])).map((u) => u.name).sort(), ["Bob", "Cid"]);
  const bySql = await User.findBySql("select ar_users.*, age * 2 as doubled from ar_users where name = ?", [
    "Cid",
  ]);
  assert.equal(bySql.length, 1);
  assert.equal(bySql[0].name, "Cid");
  assert.equal(bySql[0].attribute("doubled"), 100);
  assert.equal(bySql[0].toJSON().doubled, 100);
});

conformance("delete, refresh, deleteAll, updateAll", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const a = await User.create({ name: "Ann", email: "a@x.io", age: 30 });
  const b = await User.create({ name: "Bob", email: "b@x.io", age: 40 });
  await User.create({ name: "Cid", email: "c@x.io", age: 50 });

  a.name = "unsaved";
  await env.db.executeNonQuery("update ar_users set age = 31 where id = ?", [a.id]);
  assert.equal(await a.refresh(), a);
  assert.equal(a.name, "Ann", "refresh drops unsaved changes");
  assert.equal(a.age, 31);
  assert.equal(a.isDirty(), false);

  assert.equal(await User.updateAll({ isActive: false }, "age >= ?", [40]), 2);
  assert.equal(await User.query().where({ isActive: false }).count(), 2);
  assert.equal(await User.updateAll({ age: 99 }, { name: "Ann" }), 1);
  assert.equal((await User.findOneOrFail(a.id)).age, 99);
  assert.equal(await User.updateAll({ age: null }, { name: "Bob" }), 1, "null clears a nullable column");
  assert.equal((await User.findOneOrFail(b.id)).age, null);
  assert.equal(await User.updateAll({ is_active: true } as never, { name: "Bob" }), 1, "by column name too");
  assert.equal((await User.findOneOrFail(b.id)).isActive, true);
  await User.updateAll({ isActive: false }, { name: "Bob" });

  assert.equal(await b.delete(), true);
  assert.equal(b.isDeleted, true);
  assert.equal(b.isNewRecord, false, "a deleted record is not new: it cannot be saved again");
  assert.equal(await User.findOne(b.id), undefined);
  const sent = env.statements.length;
  await rejects(() => b.delete(), RecordDeletedError, /was deleted and cannot be deleted again/);
  b.name = "Bobby";
  await rejects(() => b.save(), RecordDeletedError, /cannot be saved/);
  assert.equal(env.statements.length, sent, "nothing is sent");
  await rejects(() => b.refresh(), RecordNotFoundError);

  assert.equal(await User.deleteAll({ age: 99 }), 1);
  assert.equal(await User.deleteAll(), 1);
  assert.equal(await User.query().count(), 0);
});

conformance(
  "updateAll: repeated shapes bind their own values, whatever the order of the keys",
  async (env) => {
    const User = await env.model(users);
    await env.createTables(User);
    const [a, b, c] = [
      await User.create({ name: "Ann", email: "a@x.io", age: 30 }),
      await User.create({ name: "Bob", email: "b@x.io", age: 40 }),
      await User.create({ name: "Cid", email: "c@x.io", age: 50 }),
    ];
    const row = async (id: number) => {
      const u = await User.findOneOrFail(id);
      return [u.name, u.age, u.isActive];
    };
    for (const [i, u] of [a, b, c].entries()) {
      // The same columns set, in both key orders: each call must put its own values in their columns.
      const n = await env.assertQueries(
        1,
        () => User.updateAll({ age: 60 + i, name: `n${i}` }, { id: u.id }),
      );
      assert.equal(n, 1);
      assert.deepEqual(await row(u.id), [`n${i}`, 60 + i, true]);
      await env.assertQueries(1, () => User.updateAll({ name: `m${i}`, age: 70 + i }, { id: u.id }));
      assert.deepEqual(await row(u.id), [`m${i}`, 70 + i, true]);
    }
    // Condition shapes: IN lists of different lengths, IS NULL, and two keys in both orders.
    assert.equal(await User.updateAll({ isActive: false }, { id: [a.id, b.id] }), 2);
    assert.equal(await User.updateAll({ isActive: false }, { id: [c.id] }), 1);
    assert.equal(await User.updateAll({ isActive: true }, { id: [a.id, b.id, c.id] }), 3);
    assert.equal(await User.updateAll({ age: 1 }, { name: "m0", age: 70 }), 1);
    assert.equal(await User.updateAll({ age: 2 }, { age: 71, name: "m1" }), 1);
    assert.equal(await User.updateAll({ age: 3 }, { age: 71, name: "m1" }), 0, "its age is 2 now");
    assert.deepEqual([await row(a.id), await row(b.id)], [["m0", 1, true], ["m1", 2, true]]);
    assert.equal(await User.updateAll({ age: null }, { id: c.id }), 1);
    assert.equal(await User.updateAll({ age: 5 }, { age: null }), 1);
    assert.deepEqual(await row(c.id), ["m2", 5, true]);
    // An empty list matches nothing and binds nothing: its shape is not that of one value, either way round.
    assert.equal(await User.updateAll({ age: 8 }, { id: [] }), 0);
    assert.equal(await User.updateAll({ age: 8 }, { id: c.id }), 1, "one value after an empty list");
    assert.equal(await User.updateAll({ age: 9 }, { id: [] }), 0, "an empty list after one value");
    assert.deepEqual(await row(c.id), ["m2", 8, true]);
    // A seen shape with a bad value is still refused, and nothing is sent.
    const sent = env.statements.length;
    await rejects(() => User.updateAll({ age: "old" } as never, { id: a.id }), ValidationError);
    await rejects(() => User.updateAll({ age: 9 }, { id: "x" } as never), ArgumentError);
    await rejects(() => User.updateAll({ nope: 1 } as never, { id: a.id }), ArgumentError);
    assert.equal(env.statements.length, sent, "nothing is sent");
    assert.deepEqual(await row(a.id), ["m0", 1, true]);
  },
);

conformance("saving a record whose row was deleted throws RecordNotFoundError", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const a = await User.create({ name: "Ann", email: "a@x.io" });
  await env.db.executeNonQuery("delete from ar_users");
  a.name = "Annie";
  await rejects(() => a.save(), RecordNotFoundError);
});

conformance("insertMany inserts in bulk and returns the count", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const rows = Array.from(
    { length: 1200 },
    (_, i) => ({ name: `u${i}`, email: `u${i}@x.io`, age: i % 2 ? i : null }),
  );
  assert.equal(await User.insertMany(rows), 1200);
  assert.equal(await User.insertMany([]), 0);
  assert.equal(await User.query().count(), 1200);
  assert.equal(await User.query().whereNull("age").count(), 600);
  const last = await User.findOneOrFail({ email: "u1199@x.io" });
  assert.equal(last.isActive, true, "defaults apply to bulk rows");
  assert.ok(last.createdAt instanceof Date);
});

conformance("upsert inserts, then updates the row with the same unique key", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const first = await User.upsert({ name: "Ann", email: "ann@x.io", age: 30 }, { conflict: ["email"] });
  assert.equal(first.isNewRecord, false);
  assert.equal(typeof first.id, "number");
  const second = await User.upsert({ name: "Annie", email: "ann@x.io", age: 31 }, { conflict: ["email"] });
  assert.equal(second.id, first.id, "same row");
  assert.equal(second.name, "Annie");
  const third = await User.upsert({ name: "Ignored", email: "ann@x.io", age: 32 }, {
    conflict: ["email"],
    update: ["age"],
  });
  assert.equal(third.name, "Annie", "only the listed columns are updated");
  assert.equal(third.age, 32);
  assert.equal(await User.query().count(), 1);
});

conformance("toJSON, attribute, and unknown attributes", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const u = await User.create({ name: "Ann", email: "a@x.io", age: 7 });
  const json = JSON.parse(JSON.stringify(u));
  assert.equal(json.name, "Ann");
  assert.equal(json.isActive, true);
  assert.equal(json.createdAt, u.createdAt.toISOString());
  assert.equal(u.attribute("is_active"), true, "by column name too");
  assert.throws(() => new User({ nope: 1 } as never), /has no attribute "nope"/);
});

conformance(
  'an explicit undefined means "not given": defaults apply and required checks run',
  async (env) => {
    const Article = await env.model(defineSchema("ar_articles", {
      id: column.integer().primaryKey(),
      title: column.text(),
      tags: column.json<string[]>().default(() => []),
      views: column.integer().default(0),
    }));
    await env.createTables(Article);
    const input: { title: string; tags?: string[]; views?: number } = { title: "Hello" };
    const created = await Article.create({ title: input.title, tags: input.tags, views: input.views });
    assert.deepEqual(created.tags, []);
    assert.equal(created.views, 0);
    assert.deepEqual((await Article.findOneOrFail(created.id)).tags, []);
    assert.equal(
      await Article.insertMany([{ title: "A", tags: undefined }, { title: "B", views: undefined }]),
      2,
    );
    assert.deepEqual(await Article.query().orderBy("id").pluck("views"), [0, 0, 0]);
    const upserted = await Article.upsert({ id: created.id, title: "Again", tags: undefined }, {
      conflict: ["id"],
    });
    assert.deepEqual(upserted.tags, []);
    const error = await rejects(
      () => Article.create({ title: undefined as unknown as string }),
      ValidationError,
    );
    assert.deepEqual(error.errors, { title: ["is required"] });
    assert.equal(await Article.query().count(), 3, "nothing written by the invalid create");
  },
);

conformance(
  "composite primary keys: a join table's rows are saved, found, updated and deleted by both columns",
  async (env) => {
    const User = await env.model(users);
    const memberships = defineSchema("ar_memberships", {
      userId: column.integer().primaryKey().references("ar_users", "id", { onDelete: "cascade" }),
      groupId: column.integer().primaryKey(),
      role: column.text().default("member"),
    });
    const Membership = await env.model(memberships);
    await env.createTables(User, Membership);
    const ann = await User.create({ name: "Ann", email: "a@x.io" });
    const m = await Membership.create({ userId: ann.id, groupId: 7 });
    await Membership.create({ userId: ann.id, groupId: 8, role: "owner" });
    await rejects(() => Membership.create({ userId: ann.id, groupId: 7 }), UniqueViolationError);
    const found = await Membership.findOneOrFail({ userId: ann.id, groupId: 7 });
    assert.equal(found.role, "member");
    found.role = "admin";
    await env.assertQueries(1, () => found.save());
    assert.equal((await Membership.findOneOrFail({ userId: ann.id, groupId: 7 })).role, "admin");
    assert.equal(
      (await Membership.findOneOrFail({ userId: ann.id, groupId: 8 })).role,
      "owner",
      "only its own row",
    );
    await m.refresh();
    assert.equal(m.role, "admin");
    assert.equal(await m.delete(), true);
    assert.deepEqual(await Membership.query().pluck("groupId"), [8]);
    await rejects(() => Membership.findOne(7), ArgumentError, /composite primary key/);
  },
);
