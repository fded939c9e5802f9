/**
 * Peak memory of reading 1,000,000 rows into records: `all()` (every record held at once) against
 * `iterate()` (a batch at a time), each in a fresh process, on SQLite and PostgreSQL. Live memory is
 * sampled after a forced GC every 50,000 records, so garbage not yet collected does not count.
 *
 * Run alone: `deno run -A --v8-flags=--expose-gc bench/memory.ts`.
 */
import { AsyncActiveRecord, column, defineSchema } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { PostgresBackend } from "../backends/postgres.ts";

const ROWS = 1_000_000;
const rows = defineSchema("bench_stream", {
  id: column.integer().primaryKey(),
  name: column.text(),
  n: column.integer(),
});
class Row extends AsyncActiveRecord.model(rows) {}

const gc = (globalThis as { gc?: () => void }).gc;

function live(): number {
  gc?.();
  return Deno.memoryUsage().heapUsed;
}

async function open(backend: string): Promise<{ close(): unknown }> {
  if (backend === "sqlite") {
    const sqlite = new SQLiteBackend(":memory:");
    await Row.configure(sqlite);
    await Row.createTable();
    const db = sqlite.async;
    await db.run({
      text: "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?) " +
        "INSERT INTO bench_stream (id, name, n) SELECT i, 'row ' || i, i * 2 FROM g",
      params: [ROWS],
      returnsRows: false,
    });
    return sqlite;
  }
  const url = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
  const pg = new PostgresBackend(url, { max: 2 });
  await Row.configure(pg);
  await Row.dropTable({ ifExists: true });
  await Row.createTable();
  await pg.run({
    text: "INSERT INTO bench_stream (id, name, n) SELECT i, 'row ' || i, i * 2 FROM generate_series(1, $1) i",
    params: [ROWS],
    returnsRows: false,
  });
  return { close: async () => (await Row.dropTable(), await pg.close()) };
}

/** One measurement, in this process: peak live bytes above the start while reading every row. */
async function measureOne(backend: string, mode: string): Promise<number> {
  const db = await open(backend);
  const base = live();
  let peak = 0;
  let count = 0;
  if (mode === "all") {
    const all = await Row.query().all();
    count = all.length;
    peak = live() - base;
  } else {
    for await (const _ of Row.query().iterate({ batchSize: 1000 })) {
      if (++count % 50_000 === 0) peak = Math.max(peak, live() - base);
    }
  }
  if (count !== ROWS) throw new Error(`read ${count} rows, expected ${ROWS}`);
  await db.close();
  return peak;
}

/** Peak live memory of `all()` and `iterate()` on each backend, each measured in a child process. */
export async function benchMemory(): Promise<{ backend: string; allMb: number; iterateMb: number }[]> {
  const results = [];
  for (const backend of ["sqlite", "postgres"]) {
    const peaks: Record<string, number> = {};
    for (const mode of ["all", "iterate"]) {
      const child = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--v8-flags=--expose-gc", new URL(import.meta.url).pathname, backend, mode],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      if (!child.success) throw new Error(`the ${backend} ${mode} run failed`);
      peaks[mode] = Number(new TextDecoder().decode(child.stdout).trim());
    }
    results.push({ backend, allMb: peaks.all / 2 ** 20, iterateMb: peaks.iterate / 2 ** 20 });
  }
  return results;
}

/** Prints the peaks side by side. */
export function reportMemory(results: { backend: string; allMb: number; iterateMb: number }[]): void {
  console.table(results.map((r) => ({
    backend: r.backend,
    workload: `read ${ROWS.toLocaleString("en")} rows into records`,
    "all()": `${r.allMb.toFixed(1)} MB`,
    "iterate()": `${r.iterateMb.toFixed(1)} MB`,
    ratio: (r.iterateMb / r.allMb).toFixed(3),
  })));
  console.log("peak live heap above the start; ratio = iterate() / all() (lower is better)");
}

if (import.meta.main) {
  if (Deno.args.length === 2) {
    console.log(await measureOne(Deno.args[0], Deno.args[1]));
  } else {
    reportMemory(await benchMemory());
  }
}
