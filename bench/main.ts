/**
 * `deno task bench`: each backend's raw driver beside this library, in one process. Prints the
 * median of each workload and the ratio ORM / raw (lower is better; 1.00 = as fast as raw).
 */
import { report, type Result } from "./measure.ts";
import { benchSqlite } from "./sqlite.ts";

const results: Result[] = [];
results.push(...await benchSqlite());
report(results);
