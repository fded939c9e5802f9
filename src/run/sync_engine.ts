/**
 * The sync engine: one connection, requests answered at once, open transactions on a stack.
 * @module
 */
import type { DriverQuery, QueryResult, SyncBackend } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { Frame } from "./frame.ts";
import type { Engine } from "./engine.ts";
import type { Flow, Request } from "./request.ts";
import { isThenable } from "./thenable.ts";

/** Runs flows synchronously on a `SyncBackend`. */
export class SyncEngine implements Engine<"sync"> {
  readonly mode = "sync";
  readonly #backend: SyncBackend;
  readonly #open: Frame[] = [];

  /** Wraps `backend`; get engines through `engineFor` so that they are shared. */
  constructor(backend: SyncBackend) {
    this.#backend = backend;
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

  #query(query: DriverQuery): QueryResult {
    try {
      return this.#backend.run(query);
    } catch (error) {
      throw this.dialect.translateError(error, { sql: query.text, params: query.params });
    }
  }
}
