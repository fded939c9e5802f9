/** Interleaved timing: baseline and candidate alternate, so drift hits both alike; medians are compared. */

/** One side of a comparison. */
export interface Side {
  /** e.g. "node:sqlite", "ActiveRecord". */
  readonly label: string;
  /** The work, run once per timed round. */
  readonly run: () => unknown | Promise<unknown>;
}

/** A workload done two ways. */
export interface Workload {
  /** What is measured, e.g. "findOne by key x10,000". */
  readonly name: string;
  /** The reference (usually the raw driver). */
  readonly baseline: Side;
  /** What is compared with it (usually this library). */
  readonly candidate: Side;
}

/** Medians of one workload. */
export interface Result {
  readonly group: string;
  readonly workload: Workload;
  readonly baselineMs: number;
  readonly candidateMs: number;
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
  for (const workload of workloads) {
    const times = { baseline: [] as number[], candidate: [] as number[] };
    for (let i = 0; i < warmup + runs; i++) {
      for (const side of ["baseline", "candidate"] as const) {
        const start = performance.now();
        await workload[side].run();
        if (i >= warmup) times[side].push(performance.now() - start);
      }
    }
    const baselineMs = median(times.baseline);
    const candidateMs = median(times.candidate);
    results.push({ group, workload, baselineMs, candidateMs, ratio: candidateMs / baselineMs });
  }
  return results;
}

/** A result as one table row (plain data: it crosses from a group's process to the report). */
export interface Row {
  readonly group: string;
  readonly workload: string;
  readonly baseline: string;
  readonly candidate: string;
  readonly ratio: string;
}

/** The table row of `r`. */
export function row(r: Result): Row {
  return {
    group: r.group,
    workload: r.workload.name,
    baseline: `${r.workload.baseline.label} ${r.baselineMs.toFixed(2)} ms`,
    candidate: `${r.workload.candidate.label} ${r.candidateMs.toFixed(2)} ms`,
    ratio: r.ratio.toFixed(2),
  };
}

/** Prints rows as a table. */
export function report(rows: readonly Row[]): void {
  console.table(rows);
  console.log("ratio = candidate median / baseline median (lower is better)");
}
