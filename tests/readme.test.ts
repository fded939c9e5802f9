/**
 * The README as a new user meets it: every `ts` block type-checks against the package, and the
 * quickstart runs exactly as printed (imports resolved as an installed package's would be) and exits.
 */
import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url);
const README = await Deno.readTextFile(new URL("README.md", ROOT));

Deno.test("readme: every ts block type-checks", async () => {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("scripts/check_docs.ts", ROOT).pathname, "README.md"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
});

Deno.test("readme: the quickstart runs as printed, and exits", async () => {
  const section = README.slice(README.indexOf("## Quickstart"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, "the quickstart has a ts block");
  const dir = await Deno.makeTempDir();
  try {
    const entries = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))).exports as Record<
      string,
      string
    >;
    const imports = Object.fromEntries(
      Object.entries(entries).map((
        [key, path],
      ) => [`@rho/activerecord${key.slice(1)}`, new URL(path, ROOT).href]),
    );
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ imports }));
    await Deno.writeTextFile(`${dir}/quickstart.ts`, block);
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "quickstart.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    assert.equal(run.code, 0, decode(run.stderr));
    assert.equal(decode(run.stdout).trim(), "Ann 1");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
