/**
 * Side-by-side timing: the raw driver and every contender (this library, Drizzle, Kysely) run the
 * same workload in turns (in a shuffled order), round after round, in one process; each round gives each contender a
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
  /**
   * This process's CPU time (all its threads) over every round, as a ratio to raw's: the work the
   * client does, which the server's and the scheduler's timing do not blur. Summed, since the
   * kernel counts CPU time in ticks. Reported for server groups.
   */
  readonly cpu: number;
}

/** The outcome of one contest. */
export interface ContestResult {
  readonly group: string;
  readonly name: string;
  /** The raw driver's median time, in milliseconds. */
  readonly rawMs: number;
  /** Show the CPU ratios (server groups, where wall time waits on the server). */
  readonly showCpu: boolean;
  readonly standings: readonly Standing[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 0..n-1 in an order that depends on `seed` only (the same run after run). */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = Math.imul(seed + 1, 2654435761) >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Wall and CPU milliseconds of one run. */
async function timed(run: () => unknown | Promise<unknown>): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000];
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
  showCpu = false,
): Promise<ContestResult[]> {
  const results: ContestResult[] = [];
  for (const { name, raw, others } of contests) {
    console.error(`${group}: ${name}`);
    const everyone = [raw, ...others];
    const times = everyone.map(() => [] as number[]);
    const cpus = everyone.map(() => [] as number[]);
    for (let round = 0; round < warmup + rounds; round++) {
      const measured = new Array<[number, number]>(everyone.length);
      // A fresh order each round, so that no contender always follows the same one.
      for (const i of shuffled(everyone.length, round)) measured[i] = await timed(everyone[i].run);
      if (round < warmup) continue;
      everyone.forEach((_, i) => (times[i].push(measured[i][0]), cpus[i].push(measured[i][1])));
    }
    const standings = others.map((contender, o) => {
      const ratios = times[o + 1].map((t, r) => t / times[0][r]);
      return {
        label: contender.label,
        median: median(ratios),
        min: Math.min(...ratios),
        max: Math.max(...ratios),
        cpu: sum(cpus[o + 1]) / sum(cpus[0]),
      };
    });
    results.push({ group, name, rawMs: median(times[0]), showCpu, standings });
  }
  return results;
}

/** A standing as `1.23 (1.10–1.40)`, with `cpu 1.02` after it where CPU is shown. */
export function formatStanding(standing: Standing | undefined, showCpu = false): string {
  if (!standing) return "";
  const wall = `${standing.median.toFixed(2)} (${standing.min.toFixed(2)}–${standing.max.toFixed(2)})`;
  return showCpu ? `${wall} cpu ${standing.cpu.toFixed(2)}` : wall;
}

/** The report: one row per contest, one column per contender (ratio to raw; lower is better). */
export function reportContests(results: readonly ContestResult[]): void {
  const labels = [...new Set(results.flatMap((r) => r.standings.map((s) => s.label)))];
  console.table(results.map((r) => {
    const row: Record<string, string> = { group: r.group, workload: r.name, raw: `${r.rawMs.toFixed(2)} ms` };
    for (const label of labels) {
      row[label] = formatStanding(r.standings.find((s) => s.label === label), r.showCpu);
    }
    return row;
  }));
  console.log(
    "cells: median ratio to the raw driver in the same run (min–max over the rounds); lower is better.\n" +
      "cpu (server groups): this process's CPU time over all rounds as a ratio to raw's.",
  );
}
