/**
 * The async engine: queries run on pooled connections; a transaction holds one reserved connection,
 * and queries issued inside its callback find it through the backend's async context.
 * @module
 */
import type { AsyncBackend, AsyncSession, DriverQuery, QueryResult, ReservedSession } from "../backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { Frame } from "./frame.ts";
import type { Engine } from "./engine.ts";
import type { QueryEvents } from "./events.ts";
import type { Flow, Request } from "./request.ts";

/** What the async context holds: the innermost transaction of each engine, linked outwards. */
interface ContextEntry {
  readonly engine: AsyncEngine;
  readonly frame: Frame;
  readonly outer: ContextEntry | undefined;
}

/** `query` as a flow: the async engine's one way of running it, fast path included. */
function* answered<T, A>(query: DriverQuery, then: (result: QueryResult, arg: A) => T, arg: A): Flow<T> {
  return then(yield { kind: "query", query }, arg);
}

/** Runs flows on an `AsyncBackend`. */
export class AsyncEngine implements Engine<"async"> {
  readonly mode = "async";
  readonly #backend: AsyncBackend;
  readonly #events: QueryEvents;
  /** Open transactions, used only where the platform has no async context (browsers). */
  readonly #open: Frame[] = [];
  /** How many transaction levels of this engine are open, anywhere: none means no lookup is needed. */
  #opened = 0;

  /** Wraps `backend`, reporting to `events`; get engines through `engineFor` so that they are shared. */
  constructor(backend: AsyncBackend, events: QueryEvents) {
    this.#backend = backend;
    this.#events = events;
  }

  /** The backend's dialect. */
  get dialect(): Dialect {
    return this.#backend.dialect;
  }

  /**
   * Runs `flow`. While its statements can be answered at once (an embedded database not held by a
   * transaction, and no query listener), it runs without awaiting; from the first request that must
   * wait, it continues asynchronously. Either way the result is a Promise.
   */
  run<T>(flow: Flow<T>, pinned?: Frame): Promise<T> {
    let input: unknown;
    let error: unknown;
    let failed = false;
    try {
      for (;;) {
        const step = failed ? flow.throw(error) : flow.next(input);
        if (step.done) return Promise.resolve(step.value);
        failed = false;
        const request = step.value;
        if (request.kind === "query" && !this.#events.active) {
          const frame = request.frame ?? this.#current(pinned);
          const session = frame ? frame.session as AsyncSession : this.#backend;
          if (session.runNow) {
            try {
              const now = session.runNow(request.query);
              if (now !== undefined) {
                input = now;
                continue;
              }
            } catch (e) {
              error = this.dialect.translateError(e, {
                sql: request.query.text,
                params: request.query.params,
              });
              failed = true;
              continue;
            }
          }
        }
        return this.#continue(flow, request, pinned);
      }
    } catch (e) {
      return Promise.reject(e);
    }
  }

  query<T, A>(query: DriverQuery, then: (result: QueryResult, arg: A) => T, arg: A): Promise<T> {
    // As `run` does, without a flow: an embedded database answers at once.
    if (!this.#events.active) {
      const frame = this.#current(undefined);
      const session = frame ? frame.session as AsyncSession : this.#backend;
      if (session.runNow) {
        let now: QueryResult | undefined;
        try {
          now = session.runNow(query);
        } catch (e) {
          return Promise.reject(this.dialect.translateError(e, { sql: query.text, params: query.params }));
        }
        if (now !== undefined) {
          try {
            return Promise.resolve(then(now, arg));
          } catch (e) {
            return Promise.reject(e);
          }
        }
      }
    }
    return this.run(answered(query, then, arg));
  }

  resolved<T>(value: T): Promise<T> {
    return Promise.resolve(value);
  }

  rejected(error: unknown): Promise<never> {
    return Promise.reject(error);
  }

  /** Runs `flow` on from `request`, awaiting each answer. */
  async #continue<T>(flow: Flow<T>, request: Request, pinned: Frame | undefined): Promise<T> {
    let input: unknown;
    let error: unknown;
    let failed = false;
    for (;;) {
      if (request.kind === "query" && !this.#events.active) {
        // The common case inline: one await on the session's promise, its failure translated here.
        const frame = request.frame ?? this.#current(pinned);
        const session = frame ? frame.session as AsyncSession : this.#backend;
        try {
          input = await session.run(request.query);
        } catch (e) {
          error = this.dialect.translateError(e, { sql: request.query.text, params: request.query.params });
          failed = true;
        }
      } else {
        try {
          input = await this.#perform(request, pinned);
        } catch (e) {
          error = e;
          failed = true;
        }
      }
      const step = failed ? flow.throw(error) : flow.next(input);
      if (step.done) return step.value;
      failed = false;
      request = step.value;
    }
  }

  #perform(request: Request, pinned: Frame | undefined): unknown {
    switch (request.kind) {
      case "query": {
        const frame = request.frame ?? this.#current(pinned);
        return this.#query(frame ? frame.session as AsyncSession : this.#backend, request.query, frame);
      }
      case "current":
        return this.#current(pinned);
      case "reserve":
        return this.#reserve();
      case "open":
        this.#opened++;
        if (!this.#backend.context) this.#open.push(request.frame);
        return undefined;
      case "close": {
        this.#opened--;
        const at = this.#open.indexOf(request.frame);
        if (at >= 0) this.#open.length = at;
        return request.frame.parent ? undefined : (request.frame.session as ReservedSession).release();
      }
      case "invoke": // awaited by run()
        return request.frame ? this.#within(request.frame, request.fn) : request.fn();
      case "call":
        return this.#within(request.frame, request.fn);
    }
  }

  /** Calls `fn` so that the queries it issues (through any model) join `frame`. */
  #within(frame: Frame, fn: () => unknown): unknown {
    const context = this.#backend.context;
    if (!context) return fn(); // browsers: the open transaction is found without a context
    const entry: ContextEntry = { engine: this, frame, outer: context.get() as ContextEntry };
    return context.run(entry, fn);
  }

  /** The transaction the caller is inside: pinned, else from the async context, else the open one. */
  #current(pinned: Frame | undefined): Frame | undefined {
    if (pinned) return pinned;
    if (this.#opened === 0) return undefined; // no transaction of this engine is open anywhere
    const context = this.#backend.context;
    if (!context) return this.#open.at(-1);
    for (let entry = context.get() as ContextEntry | undefined; entry; entry = entry.outer) {
      if (entry.engine === this) return entry.frame.isActive ? entry.frame : undefined;
    }
    return undefined;
  }

  /** Takes a connection for a transaction; failing to get one (server down) is a typed error too. */
  async #reserve(): Promise<ReservedSession> {
    try {
      return await this.#backend.reserve();
    } catch (error) {
      throw this.dialect.translateError(error, undefined);
    }
  }

  stream(query: DriverQuery, batchSize: number, pinned?: Frame): AsyncIterable<QueryResult> {
    // The transaction is the caller's now, not when the first batch is asked for.
    const frame = this.#current(pinned);
    const session: AsyncSession = frame ? frame.session as AsyncSession : this.#backend;
    if (!session.cursor) return this.#whole(session, query, frame);
    return this.#batches(session.cursor(query, batchSize), query, frame);
  }

  async *#whole(
    session: AsyncSession,
    query: DriverQuery,
    frame: Frame | undefined,
  ): AsyncGenerator<QueryResult> {
    yield await this.#query(session, query, frame);
  }

  /** The chokepoint for streamed statements: translated and reported once, when they end. */
  async *#batches(
    batches: AsyncIterable<QueryResult>,
    query: DriverQuery,
    frame: Frame | undefined,
  ): AsyncGenerator<QueryResult> {
    const events = this.#events;
    const started = events.active ? performance.now() : -1;
    let rows = 0;
    try {
      for await (const batch of batches) {
        rows += batch.rows.length;
        yield batch;
      }
    } catch (failure) {
      const error = this.dialect.translateError(failure, { sql: query.text, params: query.params });
      if (started >= 0) events.emit(query, started, frame !== undefined, undefined, error);
      throw error;
    }
    const result = { columns: [], rows: [], changes: rows };
    if (started >= 0) events.emit(query, started, frame !== undefined, result, undefined);
  }

  /**
   * The chokepoint: every statement of this engine runs here, is translated and reported. Without
   * listeners it adds no async frame: the session's promise, with failures translated.
   */
  #query(session: AsyncSession, query: DriverQuery, frame: Frame | undefined): Promise<QueryResult> {
    const events = this.#events;
    if (!events.active) {
      return session.run(query).catch((failure) => {
        throw this.dialect.translateError(failure, { sql: query.text, params: query.params });
      });
    }
    const started = performance.now();
    return session.run(query).then(
      (result) => {
        events.emit(query, started, frame !== undefined, result, undefined);
        return result;
      },
      (failure) => {
        const error = this.dialect.translateError(failure, { sql: query.text, params: query.params });
        events.emit(query, started, frame !== undefined, undefined, error);
        throw error;
      },
    );
  }
}
