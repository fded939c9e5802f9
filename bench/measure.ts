/** Interleaved timing: raw driver and ORM alternate, so drift hits both alike; medians are compared. */

export interface Workload {
  /** What is measured, e.g. "findOne by key x10,000". */
  readonly name: string;
  /** The raw driver doing the same work. */
  readonly raw: () => unknown | Promise<unknown>;
  /** This library doing it. */
  readonly orm: () => unknown | Promise<unknown>;
}

export interface Result {
  readonly group: string;
  readonly name: string;
  readonly rawMs: number;
  readonly ormMs: number;
  readonly ratio: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs each workload `runs` times per side after `warmup` rounds; returns medians and ratios. */
export async function measure(
  group: string,
  workloads: Workload[],
  runs = 15,
  warmup = 3,
): Promise<Result[]> {
  const results: Result[] = [];
  for (const w of workloads) {
    const raw: number[] = [];
    const orm: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      for (const [fn, times] of [[w.raw, raw], [w.orm, orm]] as const) {
        const start = performance.now();
        await fn();
        if (i >= warmup) times.push(performance.now() - start);
      }
    }
    const rawMs = median(raw);
    const ormMs = median(orm);
    results.push({ group, name: w.name, rawMs, ormMs, ratio: ormMs / rawMs });
  }
  return results;
}

/** Prints results as a table. */
export function report(results: Result[]): void {
  const rows = results.map((r) => ({
    group: r.group,
    workload: r.name,
    "raw median (ms)": r.rawMs.toFixed(2),
    "orm median (ms)": r.ormMs.toFixed(2),
    "orm / raw": r.ratio.toFixed(2),
  }));
  console.table(rows);
}
