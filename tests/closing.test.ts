/**
 * A script that configures a server database by URL (here: `configure()` reading `DATABASE_URL`) and
 * closes its backend exits at once: nothing keeps the process alive.
 */
import assert from "node:assert/strict";
import { MYSQL_URL, mysqlAsync, PG_URL, postgresAsync } from "./conformance/targets.ts";
import { testOn } from "./support/skip.ts";

const ROOT = new URL("..", import.meta.url);

/** Runs a script configuring `backendModule`'s database from `DATABASE_URL`; its exit code, output and time. */
async function script(backendModule: string, url: string) {
  const table = `closing_probe_${Deno.pid}_${Date.now()}`;
  const text = `
import { AsyncActiveRecord, column, defineSchema } from "${new URL("mod.ts", ROOT).href}";
import "${new URL(backendModule, ROOT).href}";
class Probe extends AsyncActiveRecord.model(defineSchema("${table}", { id: column.integer().primaryKey() })) {}
await Probe.configure();
await Probe.createTable();
await Probe.create({});
console.log(await Probe.query().count());
await Probe.dropTable();
await Probe.backend.close();
`;
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/script.ts`, text);
    const started = performance.now();
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", new URL("deno.json", ROOT).pathname, `${dir}/script.ts`],
      env: { DATABASE_URL: url },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return {
      code: run.code,
      out: decode(run.stdout).trim(),
      err: decode(run.stderr),
      ms: performance.now() - started,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const cases: [typeof postgresAsync, string, string][] = [
  [postgresAsync, "backends/postgres.ts", PG_URL],
  [mysqlAsync, "backends/mysql.ts", MYSQL_URL],
];
for (const [target, module, url] of cases) {
  testOn(target, "closing")(
    `a script on ${target.name.split(" ")[0]} by DATABASE_URL exits once it closes`,
    async () => {
      const result = await script(module, url);
      assert.equal(result.code, 0, result.err);
      assert.equal(result.out, "1");
      assert.ok(result.ms < 20_000, `it took ${Math.round(result.ms)} ms`);
    },
  );
}

Deno.test("closing: configure() without DATABASE_URL says what to do", async () => {
  const result = await script("backends/sqlite.ts", "");
  assert.notEqual(result.code, 0);
  assert.match(result.err, /no database: pass a backend or a URL, or set DATABASE_URL/);
});
