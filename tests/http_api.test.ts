/**
 * The HTTP API example over real HTTP (Deno.serve on a free port), on SQLite and on PostgreSQL:
 * CRUD with pagination, and the statuses of the error tree (422, 404, 409, 400); writes in a transaction.
 */
import assert from "node:assert/strict";
import type { Backend } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { handle, setUp } from "../examples/http_api.ts";
import { postgresAsync } from "./conformance/targets.ts";
import { testOn } from "./support/skip.ts";

type Json = Record<string, unknown> & { errors?: Record<string, string[]> };

/** Serves the example on a free port for `fn`, with `backend`'s statements recorded. */
async function serving(
  backend: Backend & { onQuery(fn: (e: { sql: string }) => void): () => void },
  fn: (call: Call, sql: string[]) => Promise<void>,
) {
  await setUp(backend);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const statements: string[] = [];
  const stop = backend.onQuery((e) => statements.push(e.sql));
  const call: Call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  try {
    await fn(call, statements);
  } finally {
    stop();
    await server.shutdown();
  }
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Json }>;

async function scenario(call: Call, statements: string[]): Promise<void> {
  const hello = await call("POST", "/posts", { title: "Hello", slug: "hello", body: "First post", id: 999 });
  assert.equal(hello.status, 201);
  assert.equal(hello.body.slug, "hello");
  assert.notEqual(hello.body.id, 999, "a client cannot choose the key");
  assert.ok(typeof hello.body.createdAt === "string");
  assert.ok(statements.some((s) => /^(BEGIN|START TRANSACTION)/i.test(s)), "the write ran in a transaction");
  const invalid = await call("POST", "/posts", { title: "x".repeat(300), slug: "Not A Slug" });
  assert.equal(invalid.status, 422);
  assert.deepEqual(Object.keys(invalid.body.errors!).sort(), ["body", "slug", "title"]);
  assert.match(invalid.body.errors!.slug[0], /lowercase words and dashes/);
  const duplicate = await call("POST", "/posts", { title: "Again", slug: "hello", body: "..." });
  assert.equal(duplicate.status, 409);
  assert.equal((await call("POST", "/posts", "{not json")).status, 400);
  for (let i = 2; i <= 5; i++) {
    await call("POST", "/posts", { title: `Post ${i}`, slug: `post-${i}`, body: "." });
  }
  const page = await call("GET", "/posts?page=2&perPage=2");
  assert.equal(page.status, 200);
  assert.deepEqual([page.body.total, page.body.pageCount, (page.body.items as unknown[]).length], [5, 3, 2]);
  assert.equal((await call("GET", "/posts?perPage=1000")).status, 400);
  const id = hello.body.id;
  const comment = await call("POST", `/posts/${id}/comments`, { author: "Ann", body: "Nice" });
  assert.equal(comment.status, 201);
  assert.equal((await call("POST", `/posts/${id}/comments`, { author: "Ann" })).status, 422);
  assert.equal((await call("POST", "/posts/9999/comments", { author: "Ann", body: "?" })).status, 404);
  const shown = await call("GET", `/posts/${id}`);
  assert.deepEqual((shown.body.comments as Json[]).map((c) => c.body), ["Nice"]);
  assert.equal((await call("GET", `/posts/${id}/comments`)).body.total, 1);
  assert.equal((await call("GET", "/posts/9999")).status, 404);
  assert.equal((await call("GET", "/posts/abc")).status, 404);
  assert.equal((await call("GET", "/nowhere")).status, 404);
  const patched = await call("PATCH", `/posts/${id}`, { title: "Hello, world" });
  assert.deepEqual([patched.status, patched.body.title], [200, "Hello, world"]);
  assert.equal((await call("PATCH", `/posts/${id}`, { slug: "post-2" })).status, 409);
  assert.equal((await call("PATCH", `/posts/${id}`, { title: "", slug: "BAD" })).status, 422);
  assert.equal(
    (await call("GET", `/posts/${id}`)).body.title,
    "Hello, world",
    "failed writes changed nothing",
  );
  assert.equal((await call("DELETE", `/posts/${id}`)).status, 204);
  assert.equal((await call("GET", `/posts/${id}`)).status, 404);
  assert.equal((await call("DELETE", `/posts/${id}`)).status, 404);
}

Deno.test("http api: over HTTP on SQLite", async () => {
  const backend = new SQLiteBackend(":memory:");
  try {
    await serving(backend, scenario);
  } finally {
    backend.close();
  }
});

testOn(postgresAsync, "http api")("over HTTP on PostgreSQL", async () => {
  const backend = await postgresAsync.open() as Backend & {
    onQuery(fn: (e: { sql: string }) => void): () => void;
  };
  try {
    await serving(backend, scenario);
  } finally {
    await postgresAsync.close(backend);
  }
});
