/**
 * Side-by-side timing: the raw driver and every contender (this library, Drizzle, Kysely) run the
 * same workload in turns, round after round, in one process; each round gives each contender a
 * ratio to raw, and the report shows the median ratio with its min-max over the rounds.
 */

/** One way to do a workload. */
export interface Contender {
  /** e.g. "ActiveRecord", "Drizzle (prepared)". */
  readonly label: string;
  /** The work, once; its inputs are built before, outside the timing. */
  readonly run: () => unknown | Promise<unknown>;
}

/** A workload done by the raw driver and by each contender. */
export interface Contest {
  /** What is measured, e.g. "findOne by key x5,000". */
  readonly name: string;
  /** The reference. */
  readonly raw: Contender;
  /** What is compared with it. */
  readonly others: readonly Contender[];
}

/** A contender's ratios to raw over the rounds. */
export interface Standing {
  readonly label: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The outcome of one contest. */
export interface ContestResult {
  readonly group: string;
  readonly name: string;
  /** The raw driver's median time, in milliseconds. */
  readonly rawMs: number;
  readonly standings: readonly Standing[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(run: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Runs each contest `rounds` times after `warmup` rounds. Within a round the order of the contenders
 * turns, so that none always runs after the same one.
 */
export async function contest(
  group: string,
  contests: readonly Contest[],
  rounds = 15,
  warmup = 3,
): Promise<ContestResult[]> {
  const results: ContestResult[] = [];
  for (const { name, raw, others } of contests) {
    console.error(`${group}: ${name}`);
    const everyone = [raw, ...others];
    const times = everyone.map(() => [] as number[]);
    for (let round = 0; round < warmup + rounds; round++) {
      const measured = new Array<number>(everyone.length);
      for (let k = 0; k < everyone.length; k++) {
        const i = (k + round) % everyone.length;
        measured[i] = await timed(everyone[i].run);
      }
      if (round >= warmup) everyone.forEach((_, i) => times[i].push(measured[i]));
      if (Deno.env.get("BENCH_TRACE")) console.error(measured.map((t) => t.toFixed(1)).join(" "));
    }
    const standings = others.map((contender, o) => {
      const ratios = times[o + 1].map((t, r) => t / times[0][r]);
      return {
        label: contender.label,
        median: median(ratios),
        min: Math.min(...ratios),
        max: Math.max(...ratios),
      };
    });
    results.push({ group, name, rawMs: median(times[0]), standings });
  }
  return results;
}

/** A standing as `1.23 (1.10-1.40)`. */
export function formatStanding(standing: Standing | undefined): string {
  if (!standing) return "";
  return `${standing.median.toFixed(2)} (${standing.min.toFixed(2)}–${standing.max.toFixed(2)})`;
}

/** The report: one row per contest, one column per contender (ratio to raw; lower is better). */
export function reportContests(results: readonly ContestResult[]): void {
  const labels = [...new Set(results.flatMap((r) => r.standings.map((s) => s.label)))];
  console.table(results.map((r) => {
    const row: Record<string, string> = { group: r.group, workload: r.name, raw: `${r.rawMs.toFixed(2)} ms` };
    for (const label of labels) row[label] = formatStanding(r.standings.find((s) => s.label === label));
    return row;
  }));
  console.log(
    "cells: median ratio to the raw driver in the same run (min–max over the rounds); lower is better",
  );
}
