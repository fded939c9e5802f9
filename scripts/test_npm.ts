/**
 * `deno task test:npm`: installs the package built in `npm/` (as a tarball, as users get it) into a
 * scratch project with the drivers (better-sqlite3 12 on Node 20), and runs `tests/node` with
 * `node --test` on the Node on this machine. Prints `N passed, M failed` last.
 *
 * Run: `deno task build:npm && deno task test:npm`.
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "npm");
const project = join(out, ".test");

async function run(command: string, args: string[], cwd: string, capture = false): Promise<string> {
  const result = await new Deno.Command(command, {
    args,
    cwd,
    stdout: capture ? "piped" : "inherit",
    stderr: "inherit",
  }).output();
  const text = capture ? new TextDecoder().decode(result.stdout) : "";
  if (capture) console.log(text);
  if (result.code !== 0 && !capture) throw new Error(`${command} ${args.join(" ")} failed (${result.code})`);
  return text;
}

await Deno.remove(project, { recursive: true }).catch(() => {});
await Deno.mkdir(project, { recursive: true });
const tarball = (await run("npm", ["pack", "--pack-destination", project, "--loglevel=error"], out, true))
  .trim()
  .split("\n").at(-1)!;
const node = (await run("node", ["--version"], project, true)).trim();
const major = Number(node.replace(/^v/, "").split(".")[0]);
await Deno.writeTextFile(
  join(project, "package.json"),
  JSON.stringify({
    private: true,
    type: "module",
    dependencies: {
      "@rho/activerecord": `file:./${tarball}`,
      // 13.x needs Node >= 22; 12.x builds from source on Node 20 (python3, make, g++)
      "better-sqlite3": major >= 22 ? "^13.2.0" : "^12.4.0",
      "postgres": "^3.4.7",
      "mysql2": "^3.14.0",
      "sql.js": "^1.13.0",
    },
  }),
);
await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project);
const tests = join(root, "tests", "node");
for await (const entry of Deno.readDir(tests)) {
  await Deno.copyFile(join(tests, entry.name), join(project, entry.name));
}
const report = await run("node", ["--test", "--test-reporter=tap", "."], project, true);
const count = (label: string) => Number(new RegExp(`^# ${label} (\\d+)`, "m").exec(report)?.[1] ?? 0);
console.log(`node ${node}: ${count("pass")} passed, ${count("fail")} failed`);
if (count("fail") > 0 || count("pass") === 0) Deno.exit(1);
