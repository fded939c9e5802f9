/**
 * Default scopes: every read carries them (queries, finders, refresh, aggregates, relations,
 * whereHas, withCount, joins, bulk updates and deletes) until `unscoped()` lifts them.
 */
import assert from "node:assert/strict";
import { ArgumentError, RecordNotFoundError } from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";
import { blogModels } from "./blog_models.ts";

conformance("a default scope narrows every read of the model until unscoped() lifts it", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const ann = await User.create({ name: "Ann", email: "a@x.io", age: 30 });
  const bob = await User.create({ name: "Bob", email: "b@x.io", age: 40, isActive: false });
  User.defaultScope((q) => q.where({ isActive: true }));
  assert.deepEqual(await User.query().pluck("name"), ["Ann"]);
  assert.equal(await User.query().count(), 1);
  assert.equal(await User.query().sum("age"), 30);
  assert.equal(await User.findOne(bob.id), undefined, "findOne by key");
  assert.equal(await User.findOne({ name: "Bob" }), undefined, "findOne by conditions");
  assert.deepEqual((await User.findAll([ann.id, bob.id])).map((u) => u.name), ["Ann"]);
  await rejects(() => bob.refresh(), RecordNotFoundError);
  assert.deepEqual(await User.unscoped().orderBy("name").pluck("name"), ["Ann", "Bob"]);
  assert.equal(await User.query().unscoped().count(), 2);
  assert.match(User.query().toSql().text, /is_active/);
  // Bulk writes touch only what the scope shows.
  assert.equal(await User.updateAll({ age: 1 }), 1);
  assert.equal((await User.unscoped().where({ name: "Bob" }).first())?.age, 40);
  assert.equal(await User.deleteAll(), 1);
  assert.equal(await User.unscoped().count(), 1, "Bob is still there");
});

conformance(
  "scopes are inherited by subclasses, may depend on the moment, and must be conditions",
  async (env) => {
    const Base = await env.model(users);
    await env.createTables(Base);
    await Base.insertMany([
      { name: "Ann", email: "a@x.io", age: 30 },
      { name: "Bob", email: "b@x.io", age: 40 },
      { name: "Cid", email: "c@x.io", age: 50 },
    ]);
    class Adult extends Base {}
    let minimum = 35;
    Adult.defaultScope((q) => q.where("age >= ?", [minimum]));
    class Senior extends Adult {}
    Senior.defaultScope((q) => q.where("age >= ?", [45]));
    assert.equal(await Base.query().count(), 3, "a base does not get its subclass's scope");
    assert.deepEqual(await Adult.query().orderBy("name").pluck("name"), ["Bob", "Cid"]);
    assert.deepEqual(await Senior.query().pluck("name"), ["Cid"]);
    minimum = 25;
    assert.equal(await Adult.query().count(), 3, "built when the statement is");
    assert.throws(() => Adult.defaultScope((q) => q.orderBy("name")), ArgumentError);
    assert.throws(() => Adult.defaultScope((q) => q.limit(1)), ArgumentError);
    assert.throws(() => Adult.defaultScope(42 as never), ArgumentError);
    assert.throws(() => Adult.defaultScope(() => "nope" as never), ArgumentError);
  },
);

conformance("relations see the target's scope: with, preload, whereHas, withCount, join", async (env) => {
  const { User, Post, Comment } = await blogModels(env);
  const ann = await User.create({ name: "Ann", email: "a@x.io" });
  const post = await Post.create({ userId: ann.id, title: "p" });
  await Comment.insertMany([
    { postId: post.id, userId: ann.id, body: "shown", approved: true },
    { postId: post.id, userId: ann.id, body: "hidden", approved: false },
  ]);
  Comment.defaultScope((q) => q.where({ approved: true }));
  const loaded = await Post.query().with("comments").first();
  assert.deepEqual(loaded!.comments.map((c) => c.body), ["shown"]);
  const all = await Post.query().with({ comments: (q) => q.unscoped().orderBy("id") }).first();
  assert.deepEqual(all!.comments.map((c) => c.body), ["shown", "hidden"], "a loader may lift it");
  const plain = await Post.query().all();
  await Post.preload(plain, "comments");
  assert.equal((plain[0] as unknown as { comments: unknown[] }).comments.length, 1);
  const [counted] = await Post.query().withCount("comments").all();
  assert.equal(counted.commentsCount, 1);
  assert.equal(await Post.query().whereHas("comments", (q) => q.where({ body: "hidden" })).count(), 0);
  assert.equal(
    await Post.query().whereHas("comments", (q) => q.unscoped().where({ body: "hidden" })).count(),
    1,
  );
  assert.equal(await Post.query().join("comments").count(), 1, "the join's ON carries the scope");
  const author = await User.query().with("comments").first();
  assert.equal(author?.comments.length, 1);
});
