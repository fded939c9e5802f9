/**
 * An HTTP API on `Deno.serve`: posts and their comments, with pagination; validation errors are 422
 * with messages per field, a missing record 404, a duplicate slug 409, malformed input 400; each
 * write request runs in one transaction.
 *
 *     deno task example:http                  # SQLite in memory, http://127.0.0.1:8000
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/test deno task example:http
 *
 *     curl -X POST localhost:8000/posts -d '{"title":"Hello","slug":"hello","body":"..."}'
 *     curl localhost:8000/posts?page=1&perPage=10
 *     curl localhost:8000/posts/1
 *
 * @module
 */
import {
  ArgumentError,
  AsyncActiveRecord,
  type Backend,
  column,
  defineSchema,
  RecordNotFoundError,
  relations,
  timestamps,
  UniqueViolationError,
  ValidationError,
} from "../mod.ts";
import "../backends/sqlite.ts";
import "../backends/postgres.ts";
import "../backends/mysql.ts";

const posts = defineSchema("api_posts", {
  id: column.integer().primaryKey(),
  title: column.text().maxLength(200),
  slug: column.text().maxLength(100).unique().validate((v) =>
    /^[a-z0-9-]+$/.test(v) || "must be lowercase words and dashes"
  ),
  body: column.text(),
  ...timestamps(),
});
const comments = defineSchema("api_comments", {
  id: column.integer().primaryKey(),
  postId: column.integer().references("api_posts", "id", { onDelete: "cascade" }),
  author: column.text().maxLength(100),
  body: column.text().maxLength(2000),
  ...timestamps(),
});
const api = relations({ posts, comments }, (r) => ({
  posts: { comments: r.hasMany("comments") },
  comments: { post: r.belongsTo("posts") },
}));

/** A blog post. */
export class Post extends AsyncActiveRecord.model(api.posts) {}
/** A comment on a post. */
export class Comment extends AsyncActiveRecord.model(api.comments) {}

/** An answer with a status and a JSON body. */
function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: status === 204 ? {} : { "content-type": "application/json" },
  });
}

/** The error tree as HTTP statuses. */
function failure(error: unknown): Response {
  if (error instanceof ValidationError) return json(422, { error: "invalid", errors: error.errors });
  if (error instanceof RecordNotFoundError) return json(404, { error: "not found" });
  if (error instanceof UniqueViolationError) {
    return json(409, { error: `already taken${error.column ? `: ${error.column}` : ""}` });
  }
  if (error instanceof ArgumentError || error instanceof SyntaxError) {
    return json(400, { error: error.message });
  }
  console.error(error);
  return json(500, { error: "internal error" });
}

/** The request's JSON body as an object, or a 400. */
async function body(request: Request): Promise<Record<string, unknown>> {
  const value = await request.json();
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ArgumentError("the body must be a JSON object");
  }
  return value;
}

/** Only these keys of `input` (what a client may set). */
function pick(input: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(input, k)).map((k) => [k, input[k]]));
}

/** `?page=` and `?perPage=` (1 and 10 by default, at most 100 per page). */
function paging(url: URL): [number, number] {
  const page = Number(url.searchParams.get("page") ?? 1);
  const perPage = Number(url.searchParams.get("perPage") ?? 10);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    throw new ArgumentError("page must be >= 1 and perPage between 1 and 100");
  }
  return [page, perPage];
}

/** A path id, or a 404 for anything that is not one. */
function id(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new RecordNotFoundError("no such id", "");
  return value;
}

const POST_FIELDS = ["title", "slug", "body"];
const COMMENT_FIELDS = ["author", "body"];

/** Routes a request; writes run in one transaction each. */
async function route(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const parts = url.pathname.split("/").filter(Boolean);
  const method = request.method;
  const write = <T>(fn: () => Promise<T>) => Post.transaction(fn);

  if (parts[0] === "posts" && parts.length === 1) {
    if (method === "GET") return json(200, await Post.query().orderBy("id", "desc").paginate(...paging(url)));
    if (method === "POST") {
      const input = pick(await body(request), POST_FIELDS);
      return json(201, await write(() => Post.create(input as never)));
    }
  }
  if (parts[0] === "posts" && parts.length === 2) {
    const postId = id(parts[1]);
    if (method === "GET") return json(200, await Post.query().with("comments").findOneOrFail(postId));
    if (method === "PATCH") {
      const input = pick(await body(request), POST_FIELDS);
      return json(
        200,
        await write(async () => {
          const post = await Post.query().forUpdate().findOneOrFail(postId);
          Object.assign(post, input);
          return await post.save();
        }),
      );
    }
    if (method === "DELETE") {
      await write(async () => await (await Post.findOneOrFail(postId)).delete());
      return json(204, null);
    }
  }
  if (parts[0] === "posts" && parts[2] === "comments" && parts.length === 3) {
    const postId = id(parts[1]);
    if (method === "GET") {
      await Post.findOneOrFail(postId);
      return json(200, await Comment.query().where({ postId }).orderBy("id").paginate(...paging(url)));
    }
    if (method === "POST") {
      const input = pick(await body(request), COMMENT_FIELDS);
      return json(
        201,
        await write(async () => {
          await Post.query().forUpdate().findOneOrFail(postId);
          return await Comment.create({ ...input, postId } as never);
        }),
      );
    }
  }
  if (parts[0] === "comments" && parts.length === 2 && method === "DELETE") {
    await write(async () => await (await Comment.findOneOrFail(id(parts[1]))).delete());
    return json(204, null);
  }
  return json(404, { error: "no such route" });
}

/** The request handler. */
export async function handle(request: Request): Promise<Response> {
  try {
    return await route(request);
  } catch (error) {
    return failure(error);
  }
}

/** Binds the models to `backend` and makes their tables if they are missing. */
export async function setUp(backend: Backend | string): Promise<void> {
  await Post.configure(backend);
  await Comment.configure(backend);
  await Post.createTable({ ifNotExists: true });
  await Comment.createTable({ ifNotExists: true });
}

if (import.meta.main) {
  await setUp(Deno.env.get("DATABASE_URL") ?? "sqlite::memory:");
  const server = Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT") ?? 8000) }, handle);
  Deno.addSignalListener("SIGINT", async () => {
    await server.shutdown();
    await Post.backend.close();
    Deno.exit(0);
  });
}
