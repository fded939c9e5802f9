/**
 * `deno task bench`: each backend's raw driver beside this library, in one process. Prints the
 * median of each workload and the ratio to the baseline (lower is better; 1.00 = as fast as raw).
 * Server backends are skipped with a note when their server does not answer.
 */
import { report, type Result } from "./measure.ts";
import { benchSqlite, benchSqlJs } from "./sqlite.ts";
import { benchMysql, benchPostgres } from "./drivers.ts";
import { benchMemory, reportMemory } from "./memory.ts";

const results: Result[] = [];
const groups: [string, () => Promise<Result[]>][] = [
  ["sqlite", benchSqlite],
  ["sql.js", benchSqlJs],
  ["postgres", benchPostgres],
  ["mysql", benchMysql],
];
for (const [name, bench] of groups) {
  try {
    results.push(...await bench());
  } catch (error) {
    console.error(`!!! ${name} skipped: ${(error as Error).message}`);
  }
}
report(results);

try {
  reportMemory(await benchMemory());
} catch (error) {
  console.error(`!!! memory bench skipped: ${(error as Error).message}`);
}
