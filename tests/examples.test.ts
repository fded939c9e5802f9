/**
 * The examples run as a new user runs them (`deno task ...`, with the task's permissions) and say
 * what they should. Server examples are skipped, with the reason, when the server does not answer.
 */
import assert from "node:assert/strict";
import { mysqlAsync, postgresAsync, type Target } from "./conformance/targets.ts";
import { testOn } from "./support/skip.ts";

/** Runs `deno task <task> ...args`; its stdout, after asserting that it succeeded. */
async function task(name: string, ...args: string[]): Promise<string> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", name, ...args],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(run.stdout);
  assert.ok(run.success, `deno task ${name} failed:\n${out}\n${new TextDecoder().decode(run.stderr)}`);
  return out;
}

Deno.test("deno task demo: the quickstart runs to its end", async () => {
  const out = await task("demo");
  assert.match(out, /saved Ann <ann@example.com> with id 1 \(the hook normalised the email\)/);
  assert.match(out, /updatedAt moved: true/);
  assert.match(out, /rolled back: reorg cancelled/);
  assert.match(out, /remaining: Ann, Bob, Cid, Dee/);
});

Deno.test("deno task example:blog: eager loading in one query per relation, and the rest", async () => {
  const out = await task("example:blog");
  assert.match(out, /3 posts with authors, comments, their authors and tags in 5 queries/);
  assert.match(out, /StrictLoadingError: Post\.author is not loaded/);
  assert.match(out, /Ann: 2 posts, 2 comments/);
  assert.match(out, /"Drafts stay drafts" now by Cid/);
  assert.match(out, /1 post left, 0 comments left/);
});

const blogAsync = (out: string) => {
  assert.match(out, /2 posts in 5 queries/);
  assert.match(out, /Ann commented and wrote 1 post\(s\)/);
  assert.match(out, /"Drafts stay drafts" now by Ann/);
};

for (const backend of ["sqlite", "sqljs"]) {
  Deno.test(`deno task example:blog:async ${backend}`, async () =>
    blogAsync(await task("example:blog:async", backend)));
}

const servers: [string, Target][] = [["postgres", postgresAsync], ["mysql", mysqlAsync]];
for (const [backend, target] of servers) {
  testOn(target, "examples")(`deno task example:blog:async ${backend}`, async () => {
    blogAsync(await task("example:blog:async", backend));
  });
  testOn(target, "examples")(`deno task example:${backend}`, async () => {
    const out = await task(`example:${backend}`);
    assert.ok(out.length > 0);
  });
}
