import assert from "node:assert/strict";
import {
  ArgumentError,
  ConfigurationError,
  ForeignKeyViolationError,
  RelationNotFoundError,
  relations,
  StrictLoadingError,
} from "../../mod.ts";
import { conformance, type Env, rejects } from "./harness.ts";
import { comments, posts, postTags, tags, users } from "./fixtures.ts";
import { blogModels } from "./blog_models.ts";

/** 3 users, `count` posts each by one of them, 3 comments per post by the others, 2 tags on even posts. */
async function seed(env: Env, count = 10) {
  const models = await blogModels(env);
  const { User, Post, Comment, Tag, PostTag } = models;
  const people: InstanceType<typeof User>[] = [];
  for (const name of ["Ann", "Bob", "Cid"]) people.push(await User.create({ name, email: `${name}@x.io` }));
  const red = await Tag.create({ label: "red" });
  const blue = await Tag.create({ label: "blue" });
  await Post.insertMany(
    Array.from({ length: count }, (_, i) => ({ userId: people[i % 3].id, title: `post ${i}`, views: i })),
  );
  const all = await Post.query().orderBy("id").all();
  const commentRows = all.flatMap((post, i) =>
    [0, 1, 2].map((j) => ({
      postId: post.id,
      userId: people[(i + j + 1) % 3].id,
      body: `c${i}.${j}`,
      approved: j !== 1,
    }))
  );
  await Comment.insertMany(commentRows);
  await PostTag.insertMany(
    all.filter((_, i) => i % 2 === 0).flatMap((
      p,
    ) => [{ postId: p.id, tagId: red.id }, { postId: p.id, tagId: blue.id }]),
  );
  return { ...models, people, posts: all, red, blue };
}

conformance(
  "with() loads belongsTo and hasMany in one query per relation, never one per record",
  async (env) => {
    const { Post } = await seed(env);
    const loaded = await env.assertQueries(
      3,
      () => Post.query().with("author", "comments").orderBy("id").all(),
    );
    assert.equal(loaded.length, 10);
    assert.equal(loaded[0].author?.name, "Ann");
    assert.equal(loaded[1].author?.name, "Bob");
    assert.equal(loaded[0].comments.length, 3);
    assert.deepEqual(
      loaded[0].comments.map((c) => c.body),
      ["c0.0", "c0.1", "c0.2"],
      "in key order",
    );
    assert.ok(loaded[0].comments.every((c) => c.postId === loaded[0].id));
    assert.equal(loaded[0].author, loaded[3].author, "one record per related row, shared");
    const json = JSON.parse(JSON.stringify(loaded[0]));
    assert.equal(json.author.name, "Ann");
    assert.equal(json.comments.length, 3, "loaded relations are in toJSON");
  },
);

conformance("nested paths, many-to-many through a join table, and self-references", async (env) => {
  const { Post, Comment, posts: all } = await seed(env);
  const loaded = await env.assertQueries(
    6, // posts, comments, their authors, tags, authors, their posts
    () => Post.query().with("comments.author", "tags", "author.posts").orderBy("id").all(),
  );
  assert.deepEqual(loaded[0].comments.map((c) => c.author?.name), ["Bob", "Cid", "Ann"]);
  assert.deepEqual(loaded[0].tags.map((t) => t.label).sort(), ["blue", "red"]);
  assert.deepEqual(loaded[1].tags, []);
  assert.equal(loaded[0].author?.posts.length, 4, "Ann wrote posts 0, 3, 6 and 9");
  const first = await Comment.query().where({ postId: all[0].id }).orderBy("id").first();
  const reply = await Comment.create({ postId: all[0].id, body: "a reply", parentId: first!.id });
  const withParent = await Comment.query().with("parent", "replies").findOneOrFail(reply.id);
  assert.equal(withParent.parent?.id, first!.id);
  assert.deepEqual(withParent.replies, []);
  const parent = await Comment.query().with("replies").findOneOrFail(first!.id);
  assert.deepEqual(parent.replies.map((c) => c.body), ["a reply"]);
  assert.ok(parent.replies[0] instanceof Comment, "a self-reference loads the same class");
});

conformance("loaders narrow what is loaded: conditions, order, and a limit per parent", async (env) => {
  const { Post } = await seed(env);
  const loaded = await env.assertQueries(2, () =>
    Post.query()
      .with({ comments: (q) => q.where({ approved: true }).orderBy("id", "desc").limit(1) })
      .orderBy("id")
      .all());
  assert.deepEqual(loaded.slice(0, 2).map((p) => p.comments.map((c) => c.body)), [["c0.2"], ["c1.2"]]);
  const skipped = await Post.query().with({ comments: (q) => q.orderBy("id").offset(1).limit(5) }).orderBy(
    "id",
  ).first();
  assert.deepEqual(skipped!.comments.map((c) => c.body), ["c0.1", "c0.2"]);
  const nested = await Post.query().with({ comments: (q) => q.where({ approved: false }).with("author") })
    .first();
  assert.equal(nested!.comments.length, 1);
  // A loader's own with() is loaded, though the types do not follow into loaders.
  assert.equal(typeof (nested!.comments[0] as unknown as { author: { name: string } }).author.name, "string");
});

conformance(
  "every terminal loads: first, one, findOne, paginate, iterate, each, and preload()",
  async (env) => {
    const { Post, posts: all } = await seed(env);
    const q = Post.query().with("author").orderBy("id");
    assert.equal((await q.first())?.author?.name, "Ann");
    assert.equal((await q.where({ id: all[1].id }).one())?.author?.name, "Bob");
    assert.equal((await q.findOne(all[2].id))?.author?.name, "Cid");
    assert.equal((await q.findOneOrFail({ title: "post 3" })).author?.name, "Ann");
    const page = await q.paginate(2, 4);
    assert.deepEqual(page.items.map((p) => p.author?.name), ["Bob", "Cid", "Ann", "Bob"]);
    let names = 0;
    await q.each((post) => void (names += post.author ? 1 : 0), { batchSize: 3 });
    assert.equal(names, 10);
    const plain = await Post.query().orderBy("id").all();
    await env.assertQueries(2, () => Post.preload(plain, "author", "tags"));
    const preloaded = plain as unknown as { author: { name: string }; tags: unknown[] }[];
    assert.equal(preloaded[0].author.name, "Ann");
    assert.equal(preloaded[0].tags.length, 2);
  },
);

conformance(
  "no hidden queries: an unloaded relation is a StrictLoadingError; load() loads it explicitly",
  async (env) => {
    const { Post, Comment } = await seed(env);
    const post = (await Post.query().orderBy("id").first())!;
    const error = await env.assertQueries(0, () => {
      try {
        return void (post as unknown as { author: unknown }).author;
      } catch (e) {
        return e;
      }
    });
    assert.ok(error instanceof StrictLoadingError);
    assert.match((error as Error).message, /\.author is not loaded.*with\("author"\).*load\("author"\)/);
    const author = await env.assertQueries(1, () => post.load("author"));
    assert.equal((author as { name: string }).name, "Ann");
    assert.equal((post as unknown as { author: { name: string } }).author.name, "Ann", "it stays loaded");
    const list = await post.load<unknown[]>("comments");
    assert.equal(list.length, 3);
    assert.ok(
      !("author" in JSON.parse(JSON.stringify(await Post.query().orderBy("id").first()))),
      "unloaded: not in JSON",
    );
    await rejects(() => post.load("nope"), RelationNotFoundError);
    const comment = (await Comment.query().first())!;
    await comment.refresh();
    assert.throws(() => (comment as unknown as { post: unknown }).post, StrictLoadingError);
  },
);

conformance("querying through relations: join, leftJoin, whereHas and withCount", async (env) => {
  const { Post, User, Comment } = await seed(env);
  const byAnn = await Post.query().join("author").where("ar_users.name = ?", ["Ann"]).orderBy("id").pluck(
    "title",
  );
  assert.deepEqual(byAnn, ["post 0", "post 3", "post 6", "post 9"]);
  const silent = await User.create({ name: "Dee", email: "dee@x.io" });
  const withoutPosts = await User.query().leftJoin("posts").whereNull("ar_posts.id").pluck("name");
  assert.deepEqual(withoutPosts, ["Dee"]);
  const tagged = await Post.query().join("tags").where("ar_tags.label = ?", ["red"]).count();
  assert.equal(tagged, 5);
  const busy = await User.query().whereHas("posts", (q) => q.where("views >= ?", [8])).orderBy("name").pluck(
    "name",
  );
  assert.deepEqual(busy, ["Ann", "Cid"]); // posts 8 (Cid) and 9 (Ann)
  assert.deepEqual(await User.query().whereHas("posts").orderBy("name").pluck("name"), ["Ann", "Bob", "Cid"]);
  const counted = await User.query().withCount("posts", "comments").orderBy("name").all();
  assert.deepEqual(counted.map((u) => [u.name, u.postsCount, u.commentsCount]), [
    ["Ann", 4, 10],
    ["Bob", 3, 10],
    ["Cid", 3, 10],
    ["Dee", 0, 0],
  ]);
  assert.equal(silent.id, counted[3].id);
  const replies = await Comment.query().whereHas("replies").count();
  assert.equal(replies, 0, "a self-relation's subquery is aliased apart from the outer table");
});

conformance(
  "writing through a relation: post.author = user sets the foreign key; hasMany is read-only",
  async (env) => {
    const { Post, User, people } = await seed(env);
    const post = (await Post.query().orderBy("id").first())!;
    const dee = await User.create({ name: "Dee", email: "dee@x.io" });
    (post as unknown as { author: unknown }).author = dee;
    assert.equal(post.userId, dee.id);
    assert.deepEqual(post.dirtyFields, ["userId"]);
    assert.equal((post as unknown as { author: { name: string } }).author.name, "Dee");
    await post.save();
    assert.equal((await Post.query().with("author").findOneOrFail(post.id)).author?.name, "Dee");
    const unsaved = new User({ name: "Eve", email: "eve@x.io" });
    assert.throws(() => (post as unknown as { author: unknown }).author = unsaved, ArgumentError);
    assert.throws(() => (post as unknown as { author: unknown }).author = post, ArgumentError);
    assert.throws(() => (people[0] as unknown as { posts: unknown }).posts = [], ArgumentError);
  },
);

conformance("onDelete from .references() behaves the same on every backend", async (env) => {
  const { Post, Comment, User, people } = await seed(env);
  const before = await Comment.query().count();
  await people[0].delete(); // posts cascade, their comments cascade; Ann's comments keep their rows
  assert.equal(await Post.query().where({ userId: people[0].id }).count(), 0);
  assert.equal(
    await Comment.query().whereNull("userId").count() > 0,
    true,
    "set null on the author's comments",
  );
  assert.ok(await Comment.query().count() < before);
  await rejects(() => Post.create({ userId: 999_999, title: "orphan" }), ForeignKeyViolationError);
  assert.equal(await User.query().count(), 2);
});

conformance("IN lists are chunked under the dialect's parameter limit", async (env) => {
  const { Post } = await seed(env);
  const all = await Post.query().orderBy("id").all();
  const dialect = env.backend.dialect;
  Object.defineProperty(dialect, "maxParameters", { value: 4, configurable: true });
  try {
    await env.assertQueries(3, () => Post.preload(all, "comments")); // 10 keys, 4 at a time
  } finally {
    delete (dialect as unknown as Record<string, unknown>).maxParameters;
  }
  assert.ok((all as unknown as { comments: unknown[] }[]).every((p) => p.comments.length === 3));
});

conformance("bad relation input is a typed error and sends nothing", async (env) => {
  const { Post, User } = await seed(env);
  const sent = env.statements.length;
  const q = Post.query();
  await rejects(
    () => q.with("autor" as never).all(),
    RelationNotFoundError,
    /no relation "autor"; its relations: author, comments, tags/,
  );
  await rejects(
    () => q.with("comments.nope" as never).all(),
    RelationNotFoundError,
    /Post.comments has no relation "nope"/,
  );
  await rejects(
    () => q.with({ comments: (() => 42) as never }).all(),
    ArgumentError,
    /must return the query/,
  );
  await rejects(
    () => q.with({ comments: (query) => query.join("ar_users", "1 = 1") }).all(),
    ArgumentError,
    /may only use/,
  );
  await rejects(() => q.join("nope" as never).all(), RelationNotFoundError);
  await rejects(
    () => User.query().whereHas("posts", (query) => query.orderBy("id")).all(),
    ArgumentError,
    /only add conditions/,
  );
  await rejects(() => User.query().withCount("nope" as never).all(), RelationNotFoundError);
  assert.equal(env.statements.length, sent);
});

conformance("relations() refuses declarations it cannot resolve, saying what to add", async () => {
  await Promise.resolve();
  assert.throws(
    () => relations({ users, posts }, (r) => ({ posts: { author: r.belongsTo("nope" as "users") } })),
    (e: unknown) =>
      e instanceof ConfigurationError && /"nope" is the target of ar_posts.author/.test(e.message),
  );
  assert.throws(
    () =>
      relations(
        { users, comments },
        (r) => ({ users: { written: r.hasMany("comments", { foreignKey: "missing" }) } }),
      ),
    ConfigurationError,
  );
  assert.throws(
    () => relations({ tags, postTags }, (r) => ({ tags: { owner: r.belongsTo("postTags") } })),
    (e: unknown) =>
      e instanceof ConfigurationError && /references\("ar_post_tags"\).*foreignKey/.test(e.message),
  );
  assert.throws(
    () => relations({ users, posts }, (r) => ({ posts: { title: r.belongsTo("users") } })),
    (e: unknown) => e instanceof ConfigurationError && /the name of a column/.test(e.message),
  );
  assert.throws(
    () => relations({ users, posts }, (r) => ({ posts: { save: r.belongsTo("users") } })),
    (e: unknown) => e instanceof ConfigurationError && /hide the model's own save/.test(e.message),
  );
}, { only: (target) => target.name === "sqlite x sync" });
