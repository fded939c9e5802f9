/**
 * `deno task bench`: each backend's raw driver beside this library. Prints the median of each
 * workload and the ratio to the baseline (lower is better; 1.00 = as fast as raw). Each group runs
 * in a fresh process (raw and library interleaved within it), so that one group's JIT and heap state
 * does not weigh on the next. Server backends are skipped with a note when their server does not
 * answer. `deno task bench <group>...` runs only the named groups.
 */
import { report, type Result, type Row, row } from "./measure.ts";
import { benchSqlite, benchSqlJs } from "./sqlite.ts";
import { benchMysql, benchPostgres } from "./drivers.ts";
import { eagerPostgres, eagerSqlite, eagerSqlJs } from "./eager.ts";
import { benchMemory, reportMemory } from "./memory.ts";

const groups: Record<string, () => Promise<Result[]>> = {
  "sqlite": benchSqlite,
  "sql.js": benchSqlJs,
  "postgres": benchPostgres,
  "mysql": benchMysql,
  "eager sqlite": eagerSqlite,
  "eager sql.js": eagerSqlJs,
  "eager postgres": eagerPostgres,
};

/** Marks the line of a group's process that holds its results. */
const RESULTS = "bench-results:";

/** Runs `name` in a child process; its rows, or none (with a note) when it failed. */
async function inChild(name: string): Promise<Row[]> {
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
  const results = await groups[Deno.args[1]]();
  console.log(RESULTS + JSON.stringify(results.map(row)));
} else {
  const unknown = Deno.args.filter((name) => !(name in groups) && name !== "memory");
  if (unknown.length) {
    throw new Error(`unknown bench groups: ${unknown.join(", ")}; known: ${Object.keys(groups)}, memory`);
  }
  const chosen = Deno.args.length ? Deno.args : [...Object.keys(groups), "memory"];
  const rows: Row[] = [];
  for (const name of chosen.filter((n) => n in groups)) rows.push(...await inChild(name));
  report(rows);
  if (chosen.includes("memory")) {
    try {
      reportMemory(await benchMemory());
    } catch (error) {
      console.error(`!!! memory bench skipped: ${(error as Error).message}`);
    }
  }
}
