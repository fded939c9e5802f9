/**
 * Peak memory of reading 1,000,000 rows into records: `all()` (every record held at once) against
 * `iterate()` (a batch at a time), each in a fresh process, on SQLite and PostgreSQL. Live memory is
 * sampled after a forced GC every 50,000 records, so garbage not yet collected does not count. And
 * the cost of holding 100,000 records against the raw driver's object rows (node:sqlite), per row.
 *
 * Run alone: `deno run -A --v8-flags=--expose-gc bench/memory.ts`.
 */
import { DatabaseSync } from "node:sqlite";
import { AsyncActiveRecord, column, defineSchema } from "../mod.ts";
import { SQLiteBackend } from "../backends/sqlite.ts";
import { PostgresBackend } from "../backends/postgres.ts";

const ROWS = 1_000_000;
const HELD = 100_000;
const FILL = "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?) " +
  "INSERT INTO bench_stream (id, name, n) SELECT i, 'row ' || i, i * 2 FROM g";
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
    await db.run({ text: FILL, params: [ROWS], returnsRows: false });
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

/** Live bytes per row of holding `HELD` rows: as records, or as node:sqlite's own object rows. */
async function heldPerRow(mode: string): Promise<number> {
  const select = `SELECT id, name, n FROM bench_stream LIMIT ${HELD}`;
  if (mode === "held raw") {
    const db = new DatabaseSync(":memory:");
    db.exec("CREATE TABLE bench_stream (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL)");
    db.prepare(FILL).run(HELD);
    const base = live();
    const held = db.prepare(select).all();
    const bytes = live() - base;
    if (held.length !== HELD) throw new Error(`read ${held.length} rows`);
    return bytes / HELD;
  }
  const sqlite = new SQLiteBackend(":memory:");
  await Row.configure(sqlite);
  await Row.createTable();
  await sqlite.async.run({ text: FILL, params: [HELD], returnsRows: false });
  const base = live();
  const held = await Row.query().limit(HELD).all();
  const bytes = live() - base;
  if (held.length !== HELD) throw new Error(`read ${held.length} records`);
  return bytes / HELD;
}

/** One measurement, in this process: peak live bytes above the start while reading every row. */
async function measureOne(backend: string, mode: string): Promise<number> {
  if (mode.startsWith("held")) return await heldPerRow(mode);
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

/** What the memory bench measured. */
export interface MemoryResults {
  /** Peak live MB of `all()` and `iterate()` over 1,000,000 rows, per backend. */
  readonly streams: { backend: string; allMb: number; iterateMb: number }[];
  /** Live bytes per row held: 100,000 records, and node:sqlite's object rows. */
  readonly held: { records: number; raw: number };
}

/** Runs one measurement in a child process (a clean heap); its number. */
async function inChild(backend: string, mode: string): Promise<number> {
  const child = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", new URL(import.meta.url).pathname, backend, mode],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!child.success) throw new Error(`the ${backend} ${mode} run failed`);
  return Number(new TextDecoder().decode(child.stdout).trim());
}

/** Peak live memory of `all()` and `iterate()` on each backend, and the cost of records held. */
export async function benchMemory(): Promise<MemoryResults> {
  const streams = [];
  for (const backend of ["sqlite", "postgres"]) {
    const all = await inChild(backend, "all");
    const iterate = await inChild(backend, "iterate");
    streams.push({ backend, allMb: all / 2 ** 20, iterateMb: iterate / 2 ** 20 });
  }
  return {
    streams,
    held: { records: await inChild("sqlite", "held records"), raw: await inChild("sqlite", "held raw") },
  };
}

/** Prints the peaks side by side, then the bytes per row held. */
export function reportMemory({ streams, held }: MemoryResults): void {
  console.table(streams.map((r) => ({
    backend: r.backend,
    workload: `read ${ROWS.toLocaleString("en")} rows into records`,
    "all()": `${r.allMb.toFixed(1)} MB`,
    "iterate()": `${r.iterateMb.toFixed(1)} MB`,
    ratio: (r.iterateMb / r.allMb).toFixed(3),
  })));
  console.log("peak live heap above the start; ratio = iterate() / all() (lower is better)");
  console.table([{
    workload: `${HELD.toLocaleString("en")} rows held (id, name, n)`,
    "records": `${held.records.toFixed(0)} B/row`,
    "node:sqlite object rows": `${held.raw.toFixed(0)} B/row`,
    ratio: (held.records / held.raw).toFixed(2),
  }]);
}

if (import.meta.main) {
  if (Deno.args.length === 2) {
    console.log(await measureOne(Deno.args[0], Deno.args[1]));
  } else {
    reportMemory(await benchMemory());
  }
}
