/**
 * The blog with `AsyncActiveRecord`, from the same relations as `sync.ts`: the same calls, awaited.
 * On SQLite by default; pass `sqljs` for SQLite in WASM, or `postgres` (PG_URL) or `mysql` (MYSQL_URL)
 * to run it on a server.
 *
 *     deno task example:blog:async [sqlite|sqljs|postgres|mysql]
 *
 * @module
 */
import { AsyncActiveRecord, type Backend, type QueryListener } from "../../mod.ts";
import { blog } from "./schema.ts";

class User extends AsyncActiveRecord.model(blog.users) {}
class Post extends AsyncActiveRecord.model(blog.posts) {}
class Comment extends AsyncActiveRecord.model(blog.comments) {}
class Tag extends AsyncActiveRecord.model(blog.tags) {}
class PostTag extends AsyncActiveRecord.model(blog.postTags) {}

/** What every backend class has beside `Backend`: query events, and close. */
type AnyBackend = Backend & { onQuery(listener: QueryListener): () => void; close(): void | Promise<void> };

/** The backend named on the command line. */
async function open(name = "sqlite"): Promise<AnyBackend> {
  switch (name) {
    case "sqlite": {
      const { SQLiteBackend } = await import("../../backends/sqlite.ts");
      return new SQLiteBackend(":memory:");
    }
    case "sqljs": {
      const { SqlJsBackend } = await import("../../backends/sqljs.ts");
      return await SqlJsBackend.open();
    }
    case "postgres": {
      const { PostgresBackend } = await import("../../backends/postgres.ts");
      return new PostgresBackend(Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test");
    }
    case "mysql": {
      const { MySQLBackend } = await import("../../backends/mysql.ts");
      return new MySQLBackend(Deno.env.get("MYSQL_URL") ?? "mysql://root@127.0.0.1:3306/test");
    }
  }
  throw new Error(`unknown backend "${name}": use sqlite, sqljs, postgres or mysql`);
}

const backend = await open(Deno.args[0]);
let queries = 0;
backend.onQuery(() => queries++);
const step = (title: string) => console.log(`\n== ${title}`);

try {
  const models = [User, Post, Comment, Tag, PostTag];
  for (const model of models) model.configure(backend);
  for (const model of [...models].reverse()) await model.dropTable({ ifExists: true });
  for (const model of models) await model.createTable();

  step("seed");
  const ann = await User.create({ name: "Ann", email: "ann@example.com" });
  const bob = await User.create({ name: "Bob", email: "bob@example.com" });
  const hello = await Post.create({ authorId: ann.id, title: "Hello, relations", published: true });
  const draft = await Post.create({ authorId: bob.id, title: "Drafts stay drafts" });
  const orm = await Tag.create({ name: "orm" });
  await PostTag.create({ postId: hello.id, tagId: orm.id });
  await Comment.insertMany([
    { postId: hello.id, authorId: bob.id, body: "Nice!" },
    { postId: draft.id, authorId: ann.id, body: "Looking forward to it." },
  ]);

  step("eager loading, awaited");
  const before = queries;
  const posts = await Post.query().with("author", "comments.author", "tags").orderBy("id").all();
  for (const post of posts) {
    const tags = post.tags.map((t) => t.name).join(", ") || "no tags";
    console.log(`${post.title} by ${post.author?.name} [${tags}]`);
    for (const comment of post.comments) console.log(`  ${comment.author?.name}: ${comment.body}`);
  }
  console.log(`${posts.length} posts in ${queries - before} queries`);

  step("load() and preload() for records already in hand");
  const plain = await Post.query().orderBy("id").all();
  await Post.preload(plain, "author");
  const author = await plain[1].load<InstanceType<typeof User>>("author");
  console.log(`${plain[1].title}: by ${author.name}`);

  step("querying through relations");
  for (const user of await User.query().withCount("posts").whereHas("comments").orderBy("id").all()) {
    console.log(`${user.name} commented and wrote ${user.postsCount} post(s)`);
  }

  step("writing through a relation");
  const loaded = await Post.query().with("author").findOneOrFail(draft.id);
  loaded.author = ann;
  await loaded.save();
  console.log(
    `"${loaded.title}" now by ${(await Post.query().with("author").findOneOrFail(draft.id)).author?.name}`,
  );
} finally {
  for (const model of [PostTag, Tag, Comment, Post, User]) await model.dropTable({ ifExists: true });
  await backend.close();
}
