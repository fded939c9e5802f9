/**
 * `deno task bench`: each backend's raw driver beside this library and its peers (Drizzle, Kysely).
 * Prints, per workload, the median ratio to the raw driver with its min-max over the rounds (lower
 * is better; 1.00 = as fast as raw). Each group runs in a fresh process (the contenders take turns
 * within it), so that one group's JIT and heap state does not weigh on the next. Server groups are
 * skipped with a note when their server does not answer. `deno task bench <group>...` runs some.
 */
import { type ContestResult, reportContests } from "./contest.ts";
import { benchNodeSqlite, benchSqlJs } from "./embedded.ts";
import { benchMysql, benchPostgres } from "./servers.ts";
import { eagerPostgres, eagerSqlite, eagerSqlJs } from "./eager.ts";
import { benchMemory, reportMemory } from "./memory.ts";

const groups: Record<string, () => Promise<ContestResult[]>> = {
  "node:sqlite": benchNodeSqlite,
  "sql.js": benchSqlJs,
  "postgres": benchPostgres,
  "mysql": benchMysql,
  "eager sqlite": eagerSqlite,
  "eager sql.js": eagerSqlJs,
  "eager postgres": eagerPostgres,
};

/** Marks the line of a group's process that holds its results. */
const RESULTS = "bench-results:";

/** Runs `name` in a child process; its results, or none (with a note) when it failed. */
async function inChild(name: string): Promise<ContestResult[]> {
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--group", name],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const line = new TextDecoder().decode(child.stdout).split("\n").find((l) => l.startsWith(RESULTS));
  if (!child.success || !line) {
    console.error(`!!! ${name} skipped (see above)`);
    return [];
  }
  return JSON.parse(line.slice(RESULTS.length));
}

if (Deno.args[0] === "--group") {
  console.log(RESULTS + JSON.stringify(await groups[Deno.args[1]]()));
} else {
  const unknown = Deno.args.filter((name) => !(name in groups) && name !== "memory");
  if (unknown.length) {
    throw new Error(`unknown bench groups: ${unknown.join(", ")}; known: ${Object.keys(groups)}, memory`);
  }
  const chosen = Deno.args.length ? Deno.args : [...Object.keys(groups), "memory"];
  const results: ContestResult[] = [];
  for (const name of chosen.filter((n) => n in groups)) results.push(...await inChild(name));
  reportContests(results);
  if (chosen.includes("memory")) {
    try {
      reportMemory(await benchMemory());
    } catch (error) {
      console.error(`!!! memory bench skipped: ${(error as Error).message}`);
    }
  }
}
