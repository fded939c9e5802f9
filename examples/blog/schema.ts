/**
 * The blog's schemas and relations, declared once: the sync example (`sync.ts`) and the async one
 * (`async.ts`) make their models from these same values.
 *
 * @module
 */
import { column, defineSchema, relations } from "../../mod.ts";

const users = defineSchema("blog_users", {
  id: column.integer().primaryKey(),
  name: column.text(),
  email: column.text().unique(),
});

const posts = defineSchema("blog_posts", {
  id: column.integer().primaryKey(),
  authorId: column.integer().references("blog_users", "id", { onDelete: "cascade" }),
  title: column.text(),
  published: column.boolean().default(false),
});

const comments = defineSchema("blog_comments", {
  id: column.integer().primaryKey(),
  postId: column.integer().references("blog_posts", "id", { onDelete: "cascade" }),
  authorId: column.integer().references("blog_users"),
  replyToId: column.integer().nullable().references("blog_comments"), // a self-reference
  body: column.text(),
});

const tags = defineSchema("blog_tags", { id: column.integer().primaryKey(), name: column.text().unique() });

// The join table of posts and tags: its primary key is both columns.
const postTags = defineSchema("blog_post_tags", {
  postId: column.integer().primaryKey().references("blog_posts", "id", { onDelete: "cascade" }),
  tagId: column.integer().primaryKey().references("blog_tags", "id", { onDelete: "cascade" }),
});

/** The blog: foreign keys come from `.references()`, and are named where a table has two. */
export const blog = relations({ users, posts, comments, tags, postTags }, (r) => ({
  users: { posts: r.hasMany("posts"), comments: r.hasMany("comments") },
  posts: {
    author: r.belongsTo("users"),
    comments: r.hasMany("comments"),
    tags: r.hasMany("tags", { through: "postTags" }),
  },
  comments: {
    post: r.belongsTo("posts"),
    author: r.belongsTo("users"),
    replyTo: r.belongsTo("comments", { foreignKey: "replyToId" }),
    replies: r.hasMany("comments", { foreignKey: "replyToId" }),
  },
  tags: { posts: r.hasMany("posts", { through: "postTags" }) },
}));
