/** The blog's models (users, posts, comments, tags and their join table) for one test, tables made. */
import type { Env } from "./harness.ts";
import { blog } from "./fixtures.ts";

/** Models of the target's mode for every blog schema, with fresh tables. */
export async function blogModels(env: Env) {
  const User = await env.model(blog.users);
  const Post = await env.model(blog.posts);
  const Comment = await env.model(blog.comments);
  const Tag = await env.model(blog.tags);
  const PostTag = await env.model(blog.postTags);
  await env.createTables(User, Post, Comment, Tag, PostTag);
  return { User, Post, Comment, Tag, PostTag };
}
