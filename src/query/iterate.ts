/**
 * Batched iteration: the rows of a query read through the driver's cursor, hydrated into records one
 * batch at a time, so that memory stays flat however many rows there are.
 * @module
 */
import { tableSql } from "../dialect/table_sql.ts";
import { ArgumentError } from "../errors.ts";
import type { Engine } from "../run/engine.ts";
import { isThenable } from "../run/thenable.ts";
import { compileSelect } from "./compile.ts";
import { completeFlow } from "./terminals.ts";
import type { QueryState } from "./state.ts";

/** Options of `iterate()` and `each()`. */
export interface IterateOptions {
  /** Rows read (and records made) at a time (default 1,000). */
  readonly batchSize?: number;
}

/** The batch size of `options`, checked. */
export function batchSizeOf(options: IterateOptions | undefined): number {
  const size = options?.batchSize ?? 1000;
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new ArgumentError(`batchSize must be an integer >= 1, got ${String(size)}`);
  }
  return size;
}

/** The records of `state`'s query, batch by batch (sync engines). */
export function* syncRecords<T>(engine: Engine<"sync">, state: QueryState, batchSize: number): Generator<T> {
  const table = tableSql(state.schema, engine.dialect);
  for (const batch of engine.stream(compileSelect(engine.dialect, state), batchSize)) {
    const records = state.source.hydrate<T>(table, batch);
    engine.run(completeFlow(engine.dialect, state, records)); // relations of this batch, one query each
    yield* records;
  }
}

/** The records of `state`'s query, batch by batch (async engines). */
export async function* asyncRecords<T>(
  engine: Engine<"async">,
  state: QueryState,
  batchSize: number,
): AsyncGenerator<T> {
  const table = tableSql(state.schema, engine.dialect);
  for await (const batch of engine.stream(compileSelect(engine.dialect, state), batchSize)) {
    const records = state.source.hydrate<T>(table, batch);
    await engine.run(completeFlow(engine.dialect, state, records));
    yield* records;
  }
}

/** Calls `fn` for each record (sync engines); a Promise from it is a `TypeError`. */
export function syncEach<T>(records: Iterable<T>, fn: (record: T) => unknown): number {
  let count = 0;
  for (const record of records) {
    const result = fn(record);
    if (isThenable(result)) {
      result.then(undefined, () => {});
      throw new TypeError("each() of a sync model was given an async callback: use AsyncActiveRecord");
    }
    count++;
  }
  return count;
}

/** Calls `fn` for each record and awaits it (async engines). */
export async function asyncEach<T>(records: AsyncIterable<T>, fn: (record: T) => unknown): Promise<number> {
  let count = 0;
  for await (const record of records) {
    await fn(record);
    count++;
  }
  return count;
}
