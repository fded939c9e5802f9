/**
 * Engines run flows against a backend: the sync engine answers each request at once, the async
 * engine awaits it. One engine per backend face, shared by every model and connection on it, so that
 * they all see the same open transactions.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { Mode, Out } from "../mode.ts";
import type { Frame } from "./frame.ts";
import type { Flow } from "./request.ts";

/** Runs flows in mode `M`. */
export interface Engine<M extends Mode> {
  /** The mode. */
  readonly mode: M;
  /** The backend's dialect. */
  readonly dialect: Dialect;
  /** Runs `flow`; inside `pinned`'s transaction when given. */
  run<T>(flow: Flow<T>, pinned?: Frame): Out<M, T>;
  /**
   * Runs one statement planned without a flow (the hot paths of save and updateAll), in the caller's
   * transaction if any, then `then(result, arg)`; what `then` throws is the call's failure.
   */
  query<T, A>(query: DriverQuery, then: (result: QueryResult, arg: A) => T, arg: A): Out<M, T>;
  /** `value` as this mode answers: itself (sync) or a resolved Promise (async). */
  resolved<T>(value: T): Out<M, T>;
  /** `error` as this mode fails: thrown (sync) or a rejected Promise (async). */
  rejected(error: unknown): Out<M, never>;
  /**
   * Reads the rows of `query` in batches (through the driver's cursor where it has one), in the
   * caller's transaction if any; reported to query events once, when it ends.
   */
  stream(query: DriverQuery, batchSize: number, pinned?: Frame): Batches<M>;
}

/** Batches of rows: iterated with `for` in sync mode, `for await` in async mode. */
export type Batches<M extends Mode> = M extends "async" ? AsyncIterable<QueryResult> : Iterable<QueryResult>;
