/** The blog's models (users, posts, comments, tags and their join table) for one test, tables made. */
import type { ActiveRecordClass, SchemaColumns, SchemaRelations } from "../../mod.ts";
import type { Env } from "./harness.ts";
import { blog } from "./fixtures.ts";

/** The model class of schema `S`, typed as the harness types models (every call awaited). */
type ModelOf<S> = ActiveRecordClass<SchemaColumns<S>, SchemaRelations<S>>;

/** The blog's models. */
export interface BlogModels {
  readonly User: ModelOf<typeof blog.users>;
  readonly Post: ModelOf<typeof blog.posts>;
  readonly Comment: ModelOf<typeof blog.comments>;
  readonly Tag: ModelOf<typeof blog.tags>;
  readonly PostTag: ModelOf<typeof blog.postTags>;
}

/** Models of the target's mode for every blog schema, with fresh tables. */
export async function blogModels(env: Env): Promise<BlogModels> {
  const User = await env.model(blog.users);
  const Post = await env.model(blog.posts);
  const Comment = await env.model(blog.comments);
  const Tag = await env.model(blog.tags);
  const PostTag = await env.model(blog.postTags);
  await env.createTables(User, Post, Comment, Tag, PostTag);
  return { User, Post, Comment, Tag, PostTag };
}
