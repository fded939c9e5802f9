/**
 * The migrate command line as users run it: a subprocess, a migrations folder, the database from
 * `--url` or `DATABASE_URL`; each step printed; a non-zero exit on failure. On SQLite, PostgreSQL and
 * MySQL (each server in a private namespace).
 */
import assert from "node:assert/strict";
import { mysqlAsync, mysqlNamespaces, postgresAsync, postgresNamespaces } from "./conformance/targets.ts";
import type { NamespaceRules } from "./conformance/namespace.ts";
import { privateName } from "./conformance/namespace.ts";
import { testOn } from "./support/skip.ts";

const ROOT = new URL("..", import.meta.url);
const BLOG = new URL("examples/blog/migrations", ROOT).pathname;

/** Runs `cli.ts` with `args` (and `env`); its exit code and output. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("cli.ts", ROOT).pathname, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: run.code, out: decode(run.stdout), err: decode(run.stderr) };
}

/** up, status, down, status against `url`, given through `--url` or `DATABASE_URL`. */
async function roundTrip(url: string, viaEnv: boolean): Promise<void> {
  const target: { args: string[]; env: Record<string, string> } = viaEnv
    ? { args: [], env: { DATABASE_URL: url } }
    : { args: ["--url", url], env: {} };
  const run = (...args: string[]) => cli(["migrate", ...args, "--dir", BLOG, ...target.args], target.env);
  const up = await run("up");
  assert.equal(up.code, 0, up.err);
  assert.deepEqual(
    up.out.trim().split("\n").map((line) => line.split(/\s+/).slice(0, 2).join(" ")),
    [
      "up 20261123T090000_create_users_and_posts",
      "up 20261123T091500_create_comments_and_tags",
      "up 20261123T093000_add_published_at",
    ],
  );
  assert.match(up.out, /\d+(\.\d)? ms, \d+ statement\(s\)/);
  const status = await run("status");
  assert.equal(status.out.match(/^applied/gm)?.length, 3);
  assert.match((await run("up")).out, /nothing to apply/);
  const down = await run("down", "--steps", "3");
  assert.equal(down.code, 0, down.err);
  assert.equal(down.out.match(/^down/gm)?.length, 3);
  assert.equal((await run("status")).out.match(/^pending/gm)?.length, 3);
}

Deno.test("cli: migrate up, status and down on a SQLite file, with --url and with DATABASE_URL", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await roundTrip(`sqlite:${dir}/a.db`, false);
    await roundTrip(`sqlite:${dir}/b.db`, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: new writes a migration; a failing one exits 1 and says what failed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const created = await cli(["migrate", "new", "add_slug", "--dir", dir]);
    assert.equal(created.code, 0, created.err);
    const [file] = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.match(file, /^\d{8}T\d{6}_add_slug\.ts$/);
    const text = Deno.readTextFileSync(`${dir}/${file}`);
    assert.match(text, /import \{ column, defineMigration \} from "@rho\/activerecord";/);
    assert.match(text, new RegExp(`id: "${file.replace(".ts", "")}"`));
    Deno.removeSync(`${dir}/${file}`);
    const mod = new URL("mod.ts", ROOT).href;
    Deno.writeTextFileSync(
      `${dir}/001_broken.ts`,
      `import { defineMigration } from "${mod}";\nexport default defineMigration({ id: "001_broken", up(m) { m.execute("select * from nowhere_at_all"); } });\n`,
    );
    const failed = await cli(["migrate", "up", "--dir", dir, "--url", `sqlite:${dir}/c.db`]);
    assert.equal(failed.code, 1);
    assert.match(failed.err, /migration 001_broken \(up\) failed/);
    const usage = await cli(["nonsense"]);
    assert.equal(usage.code, 2);
    const noUrl = await cli(["migrate", "status", "--dir", dir], {});
    assert.equal(noUrl.code, 1);
    assert.match(noUrl.err, /no database/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A private namespace's URL on a server, made for `fn` and dropped after. */
async function inNamespace<O>(rules: NamespaceRules<O>, fn: (url: string) => Promise<void>): Promise<void> {
  const name = privateName();
  const url = rules.urlOf(rules.url, name);
  const admin = rules.open(rules.createOnBase ? rules.url : url);
  await admin.async.run({ text: rules.create(name), params: [], returnsRows: false });
  try {
    await fn(url);
  } finally {
    await admin.async.run({ text: rules.drop(name), params: [], returnsRows: false });
    await admin.close();
  }
}

testOn(postgresAsync, "cli")(
  "migrate up, status and down on PostgreSQL",
  () => inNamespace(postgresNamespaces, (url) => roundTrip(url, true)),
);
testOn(mysqlAsync, "cli")(
  "migrate up, status and down on MySQL",
  () => inNamespace(mysqlNamespaces, (url) => roundTrip(url, false)),
);
