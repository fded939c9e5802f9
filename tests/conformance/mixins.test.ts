/**
 * Mixins: timestamps(), softDelete() and optimisticLock(), alone and together, with the database
 * checked after each failure path.
 */
import assert from "node:assert/strict";
import {
  ArgumentError,
  column,
  defineSchema,
  optimisticLock,
  RecordDeletedError,
  RecordNotFoundError,
  relations,
  softDelete,
  StaleObjectError,
  timestamps,
} from "../../mod.ts";
import { conformance, type Env, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

const notes = defineSchema("ar_notes", {
  id: column.integer().primaryKey(),
  title: column.text(),
  body: column.text().nullable(),
  ...timestamps(),
});

const later = () => new Promise((resolve) => setTimeout(resolve, 15));

conformance("timestamps(): set on insert, updatedAt on every update that writes, touch()", async (env) => {
  const Note = await env.model(notes);
  await env.createTables(Note);
  const before = Date.now();
  const note = await Note.create({ title: "a" });
  assert.ok(note.createdAt.getTime() >= before - 1000 && note.createdAt.getTime() <= Date.now() + 1000);
  const stored = await Note.findOneOrFail(note.id);
  const created = stored.createdAt.getTime();
  const firstUpdate = stored.updatedAt.getTime();
  await later();
  await note.save();
  assert.equal(
    (await Note.findOneOrFail(note.id)).updatedAt.getTime(),
    firstUpdate,
    "nothing written, nothing stamped",
  );
  note.title = "b";
  await note.save();
  const updated = await Note.findOneOrFail(note.id);
  assert.ok(updated.updatedAt.getTime() > firstUpdate, "an update that writes stamps updatedAt");
  assert.equal(updated.createdAt.getTime(), created, "createdAt stays");
  await later();
  note.body = "pending";
  await note.touch();
  const touched = await Note.findOneOrFail(note.id);
  assert.ok(touched.updatedAt.getTime() > updated.updatedAt.getTime());
  assert.equal(touched.body, null, "touch writes only updatedAt");
  assert.deepEqual(note.dirtyFields, ["body"], "other changes stay pending");
  await rejects(() => new Note({ title: "new" }).touch(), ArgumentError, /not saved yet/);
  const User = await env.model(users);
  await env.createTables(User);
  const ann = await User.create({ name: "Ann", email: "a@x.io" });
  await rejects(() => ann.touch(), ArgumentError, /add \.\.\.timestamps\(\)/);
  assert.equal(await Note.insertMany([{ title: "x" }, { title: "y" }]), 2);
  assert.equal(await Note.query().whereNull("createdAt").count(), 0, "bulk inserts stamp both");
});

const posts = defineSchema("ar_soft_posts", {
  id: column.integer().primaryKey(),
  title: column.text(),
  ...softDelete(),
});
const comments = defineSchema("ar_soft_comments", {
  id: column.integer().primaryKey(),
  postId: column.integer().references("ar_soft_posts"),
  body: column.text(),
  ...softDelete(),
});
const soft = relations({ posts, comments }, (r) => ({
  posts: { comments: r.hasMany("comments") },
  comments: { post: r.belongsTo("posts") },
}));

async function softModels(env: Env) {
  const Post = await env.model(soft.posts);
  const Comment = await env.model(soft.comments);
  await env.createTables(Post, Comment);
  return { Post, Comment };
}

conformance(
  "softDelete(): delete() keeps the row; every read hides it; restore() brings it back",
  async (env) => {
    const { Post, Comment } = await softModels(env);
    const kept = await Post.create({ title: "kept" });
    const gone = await Post.create({ title: "gone" });
    await Comment.insertMany([
      { postId: kept.id, body: "visible" },
      { postId: kept.id, body: "removed" },
    ]);
    assert.equal(await gone.delete(), true);
    assert.ok(gone.deletedAt instanceof Date);
    assert.equal(gone.isDeleted, true);
    await rejects(() => gone.save(), RecordDeletedError);
    await rejects(() => gone.delete(), RecordDeletedError);
    assert.equal(
      await env.db.executeScalar("select count(*) from ar_soft_posts"),
      2,
      "the row is still there",
    );
    assert.deepEqual(await Post.query().pluck("title"), ["kept"]);
    assert.equal(await Post.findOne(gone.id), undefined);
    assert.equal(await Post.query().count(), 1);
    assert.equal(await Post.query().withDeleted().count(), 2);
    assert.deepEqual(await Post.query().onlyDeleted().pluck("title"), ["gone"]);
    await rejects(() => gone.refresh(), RecordNotFoundError, /not found/);
    const [removed] = await Comment.query().where({ body: "removed" }).all();
    await removed.delete();
    const loaded = await Post.query().with("comments").withCount("comments").findOneOrFail(kept.id);
    assert.deepEqual(loaded.comments.map((c) => c.body), ["visible"], "relations hide deleted rows");
    assert.equal(loaded.commentsCount, 1);
    assert.equal(await Post.query().whereHas("comments", (q) => q.where({ body: "removed" })).count(), 0);
    await gone.restore();
    assert.equal(gone.isDeleted, false);
    assert.equal(gone.deletedAt, null);
    assert.equal(await Post.query().count(), 2);
    gone.title = "back";
    await gone.save();
    assert.equal((await Post.findOneOrFail(gone.id)).title, "back");
  },
);

conformance("softDelete(): force removes rows; deleteAll soft-deletes unless forced", async (env) => {
  const { Post } = await softModels(env);
  await Post.insertMany([{ title: "a" }, { title: "b" }, { title: "c" }]);
  const a = await Post.findOneOrFail({ title: "a" });
  assert.equal(await a.delete({ force: true }), true);
  assert.equal(await Post.query().withDeleted().count(), 2, "the row is gone");
  assert.equal(await Post.deleteAll({ title: "b" }), 1);
  assert.equal(await Post.query().count(), 1);
  assert.equal(await Post.query().withDeleted().count(), 2);
  assert.equal(await Post.deleteAll({ title: "b" }), 0, "already deleted");
  assert.equal(await Post.deleteAll(undefined, { force: true }), 2, "forced: soft-deleted rows too");
  assert.equal(await env.db.executeScalar("select count(*) from ar_soft_posts"), 0);
  const User = await env.model(users);
  await env.createTables(User);
  assert.throws(() => User.query().withDeleted(), ArgumentError);
  assert.throws(() => User.query().onlyDeleted(), ArgumentError);
  const ann = await User.create({ name: "Ann", email: "a@x.io" });
  await rejects(() => ann.restore(), ArgumentError, /softDelete/);
});

const accounts = defineSchema("ar_locked", {
  id: column.integer().primaryKey(),
  owner: column.text(),
  balance: column.integer(),
  ...optimisticLock(),
});

conformance(
  "optimisticLock(): a stale update or delete throws StaleObjectError and writes nothing",
  async (env) => {
    const Account = await env.model(accounts);
    await env.createTables(Account);
    const mine = await Account.create({ owner: "Ann", balance: 100 });
    assert.equal(mine.lockVersion, 0);
    const theirs = await Account.findOneOrFail(mine.id);
    mine.balance = 90;
    await mine.save();
    assert.equal(mine.lockVersion, 1);
    theirs.balance = 0;
    await rejects(() => theirs.save(), StaleObjectError, /changed or deleted by someone else/);
    const stored = await Account.findOneOrFail(mine.id);
    assert.deepEqual([stored.balance, stored.lockVersion], [90, 1], "the stale write changed nothing");
    await rejects(() => theirs.delete(), StaleObjectError);
    assert.equal(await Account.query().count(), 1);
    await theirs.refresh();
    theirs.balance = 50;
    await theirs.save();
    assert.equal(theirs.lockVersion, 2);
    await rejects(() => mine.delete(), StaleObjectError);
    await mine.refresh();
    assert.equal(mine.lockVersion, 2);
    assert.equal(await mine.delete(), true);
    assert.equal(await Account.query().count(), 0);
  },
);

const everything = defineSchema("ar_all_mixins", {
  id: column.integer().primaryKey(),
  title: column.text(),
  ...timestamps(),
  ...softDelete(),
  ...optimisticLock(),
});

conformance("the mixins compose: a table with all three", async (env) => {
  const Doc = await env.model(everything);
  await env.createTables(Doc);
  const doc = await Doc.create({ title: "v1" });
  const copy = await Doc.findOneOrFail(doc.id);
  await later();
  doc.title = "v2";
  await doc.save();
  assert.equal(doc.lockVersion, 1);
  await doc.touch();
  assert.equal(doc.lockVersion, 2, "touch bumps the version too");
  await rejects(() => copy.delete(), StaleObjectError, /someone else/);
  assert.equal(await Doc.query().count(), 1, "the stale soft delete wrote nothing");
  await doc.delete();
  assert.equal(doc.lockVersion, 3);
  assert.equal(await Doc.query().count(), 0);
  const trashed = await Doc.query().onlyDeleted().first();
  assert.deepEqual([trashed?.title, trashed?.lockVersion], ["v2", 3]);
  assert.ok(trashed!.updatedAt.getTime() >= trashed!.createdAt.getTime());
  await doc.restore();
  assert.equal(doc.lockVersion, 4);
  assert.equal(await Doc.query().count(), 1);
  assert.throws(
    () =>
      defineSchema("x", {
        id: column.integer().primaryKey(),
        a: timestamps().createdAt,
        b: timestamps().createdAt,
      }),
    ArgumentError,
  );
});

const settings = defineSchema("ar_settings", {
  id: column.integer().primaryKey(),
  key: column.text().unique(),
  value: column.text(),
  ...timestamps(),
  ...optimisticLock(),
});

conformance(
  "upsert keeps the existing row's createdAt and lock version, and stamps updatedAt",
  async (env) => {
    const Setting = await env.model(settings);
    await env.createTables(Setting);
    const first = await Setting.create({ key: "theme", value: "dark" });
    first.value = "light";
    await first.save(); // lock version 1
    const stored = await Setting.findOneOrFail(first.id);
    await later();
    const upserted = await Setting.upsert({ key: "theme", value: "blue" }, { conflict: ["key"] });
    assert.equal(upserted.value, "blue");
    assert.equal(upserted.createdAt.getTime(), stored.createdAt.getTime());
    assert.equal(upserted.lockVersion, 1);
    assert.ok(upserted.updatedAt.getTime() > stored.updatedAt.getTime());
  },
);
