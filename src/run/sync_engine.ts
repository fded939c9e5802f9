/**
 * The sync engine: one connection, requests answered at once, open transactions on a stack.
 * @module
 */
import type { DriverQuery, QueryResult, SyncBackend } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { QueryEvents } from "./events.ts";
import type { Frame } from "./frame.ts";
import type { Engine } from "./engine.ts";
import type { Flow, Request } from "./request.ts";
import { isThenable } from "./thenable.ts";

/** Runs flows synchronously on a `SyncBackend`. */
export class SyncEngine implements Engine<"sync"> {
  readonly mode = "sync";
  readonly #backend: SyncBackend;
  readonly #events: QueryEvents;
  readonly #open: Frame[] = [];

  /** Wraps `backend`, reporting to `events`; get engines through `engineFor` so that they are shared. */
  constructor(backend: SyncBackend, events: QueryEvents) {
    this.#backend = backend;
    this.#events = events;
  }

  /** The backend's dialect. */
  get dialect(): Dialect {
    return this.#backend.dialect;
  }

  run<T>(flow: Flow<T>, pinned?: Frame): T {
    let input: unknown;
    let error: unknown;
    let failed = false;
    for (;;) {
      const step = failed ? flow.throw(error) : flow.next(input);
      if (step.done) return step.value;
      failed = false;
      try {
        input = this.#perform(step.value, pinned);
      } catch (e) {
        error = e;
        failed = true;
      }
    }
  }

  query<T, A>(query: DriverQuery, then: (result: QueryResult, arg: A) => T, arg: A): T {
    return then(this.#query(query), arg);
  }

  resolved<T>(value: T): T {
    return value;
  }

  rejected(error: unknown): never {
    throw error;
  }

  #perform(request: Request, pinned: Frame | undefined): unknown {
    switch (request.kind) {
      case "query":
        return this.#query(request.query);
      case "current":
        return pinned ?? this.#open.at(-1);
      case "reserve":
        this.#backend.hold?.();
        return this.#backend;
      case "open":
        this.#open.push(request.frame);
        return undefined;
      case "close": {
        const at = this.#open.indexOf(request.frame);
        if (at >= 0) this.#open.length = at; // levels opened inside it ended with it
        if (!request.frame.parent) this.#backend.release?.();
        return undefined;
      }
      case "invoke": {
        const result = request.fn();
        if (isThenable(result)) {
          result.then(undefined, () => {}); // reported through the TypeError below
          throw new TypeError(
            `${request.what} returned a Promise in a sync model: its work would run after the write. ` +
              "Make it synchronous, or use AsyncActiveRecord.",
          );
        }
        return result;
      }
      case "call": {
        const result = request.fn();
        if (isThenable(result)) {
          result.then(undefined, () => {}); // its failure is reported through the TypeError below
          throw new TypeError(
            "a sync transaction callback returned a Promise: its awaited work would run outside the " +
              "transaction. Use AsyncActiveRecord / connectAsync() for async callbacks.",
          );
        }
        return result;
      }
    }
  }

  stream(query: DriverQuery, batchSize: number): Iterable<QueryResult> {
    const iterate = this.#backend.iterate?.bind(this.#backend);
    if (!iterate) return [this.#query(query)];
    return this.#batches(iterate(query, batchSize), query);
  }

  /** The chokepoint for streamed statements: translated and reported once, when they end. */
  *#batches(batches: Iterable<QueryResult>, query: DriverQuery): Generator<QueryResult, void, undefined> {
    const events = this.#events;
    const started = events.active ? performance.now() : -1;
    let rows = 0;
    try {
      for (const batch of batches) {
        rows += batch.rows.length;
        yield batch;
      }
    } catch (failure) {
      const error = this.dialect.translateError(failure, { sql: query.text, params: query.params });
      if (started >= 0) events.emit(query, started, this.#open.length > 0, undefined, error);
      throw error;
    }
    if (started >= 0) {
      events.emit(query, started, this.#open.length > 0, { columns: [], rows: [], changes: rows }, undefined);
    }
  }

  /** The chokepoint: every statement of this engine runs here, is translated and reported. */
  #query(query: DriverQuery): QueryResult {
    const events = this.#events;
    const started = events.active ? performance.now() : -1;
    let result: QueryResult;
    try {
      result = this.#backend.run(query);
    } catch (failure) {
      const error = this.dialect.translateError(failure, { sql: query.text, params: query.params });
      if (started >= 0) events.emit(query, started, this.#open.length > 0, undefined, error);
      throw error;
    }
    if (started >= 0) events.emit(query, started, this.#open.length > 0, result, undefined);
    return result;
  }
}
