/**
 * A blog with the synchronous `ActiveRecord` on SQLite: relations declared once (`schema.ts`), eager
 * loading without N+1, strict loading, querying and writing through relations.
 *
 *     deno task example:blog
 *
 * @module
 */
import { ActiveRecord, StrictLoadingError } from "../../mod.ts";
import { SQLiteBackend } from "../../backends/sqlite.ts";
import { blog } from "./schema.ts";

class User extends ActiveRecord.model(blog.users) {}
class Post extends ActiveRecord.model(blog.posts) {
  get headline(): string {
    return this.published ? this.title : `${this.title} (draft)`;
  }
}
class Comment extends ActiveRecord.model(blog.comments) {}
class Tag extends ActiveRecord.model(blog.tags) {}
class PostTag extends ActiveRecord.model(blog.postTags) {}

const backend = new SQLiteBackend(":memory:");
let queries = 0;
backend.onQuery(() => queries++);
const counted = <T>(run: () => T): [T, number] => {
  const before = queries;
  const value = run();
  return [value, queries - before];
};
const step = (title: string) => console.log(`\n== ${title}`);

for (const model of [User, Post, Comment, Tag, PostTag]) {
  model.configure(backend);
  model.createTable();
}

step("seed");
const [ann, bob, cid] = ["Ann", "Bob", "Cid"].map((name) =>
  User.create({ name, email: `${name.toLowerCase()}@example.com` })
);
const hello = Post.create({ authorId: ann.id, title: "Hello, relations", published: true });
const eager = Post.create({ authorId: ann.id, title: "Eager loading without N+1", published: true });
Post.create({ authorId: bob.id, title: "Drafts stay drafts" });
const [orm, deno] = ["orm", "deno"].map((name) => Tag.create({ name }));
PostTag.insertMany([
  { postId: hello.id, tagId: orm.id },
  { postId: hello.id, tagId: deno.id },
  { postId: eager.id, tagId: orm.id },
]);
const nice = Comment.create({ postId: hello.id, authorId: bob.id, body: "Nice!" });
Comment.create({ postId: hello.id, authorId: ann.id, replyToId: nice.id, body: "Thanks, Bob." });
const how = Comment.create({ postId: eager.id, authorId: cid.id, body: "How many queries is that?" });
Comment.create({ postId: eager.id, authorId: ann.id, replyToId: how.id, body: "Three." });
console.log(
  `${User.query().count()} users, ${Post.query().count()} posts, ${Comment.query().count()} comments`,
);

step("eager loading: one query per relation, never one per post");
const [posts, sent] = counted(() =>
  Post.query().with("author", "comments.author", "tags").orderBy("id").all()
);
for (const post of posts) {
  const tags = post.tags.map((t) => t.name).join(", ") || "no tags";
  console.log(`${post.headline} by ${post.author?.name} [${tags}]`);
  for (const comment of post.comments) console.log(`  ${comment.author?.name}: ${comment.body}`);
}
console.log(`${posts.length} posts with authors, comments, their authors and tags in ${sent} queries`);

step("a loader: only the newest comment of each post");
const latest = Post.query().with({ comments: (q) => q.orderBy("id", "desc").limit(1) }).orderBy("id").all();
for (const post of latest) console.log(`${post.title}: ${post.comments[0]?.body ?? "-"}`);

step("no hidden queries");
const plain = Post.findOneOrFail(hello.id);
try {
  console.log((plain as unknown as { author: unknown }).author);
} catch (error) {
  if (!(error instanceof StrictLoadingError)) throw error;
  console.log(`StrictLoadingError: ${error.message}`);
}
const author = plain.load<InstanceType<typeof User>>("author");
console.log(`after load("author"): ${author.name}`);

step("querying through relations");
const byAnn = Post.query().join("author").where("blog_users.name = ?", ["Ann"]).orderBy("id").pluck("title");
console.log(`Ann's posts: ${byAnn.join("; ")}`);
const commenters = User.query().whereHas("comments", (q) => q.whereNotNull("replyToId")).pluck("name");
console.log(`users who replied to a comment: ${commenters.join(", ")}`);
for (const user of User.query().withCount("posts", "comments").orderBy("id").all()) {
  console.log(`${user.name}: ${user.postsCount} posts, ${user.commentsCount} comments`);
}

step("writing through a relation");
const draft = Post.query().with("author").findOneOrFail({ title: "Drafts stay drafts" });
draft.author = cid; // sets authorId
draft.save();
console.log(`"${draft.title}" now by ${Post.query().with("author").findOneOrFail(draft.id).author?.name}`);

step("JSON includes what was loaded");
console.log(JSON.stringify(Post.query().with("tags").findOneOrFail(eager.id)));

step("deleting a user cascades to their posts and those posts' comments");
ann.delete();
console.log(`${Post.query().count()} post left, ${Comment.query().count()} comments left`);
backend.close();
