/**
 * Query events: every statement that crosses an engine's chokepoint is reported to the listeners of
 * its backend, with its time, its row count and its error. Parameter values are redacted unless a
 * listener asks for them. With no listener, the chokepoint does not even read the clock.
 * @module
 */
import type { Backend, DriverQuery, QueryResult } from "../backend.ts";
import { type ActiveRecordError, redactedParam } from "../errors.ts";

/** One statement as listeners see it. */
export interface QueryEvent {
  /** The SQL text as sent, with the dialect's placeholders. */
  readonly sql: string;
  /** The parameters: their types (`"[string]"`), or their values for a listener that asked. */
  readonly params: readonly unknown[];
  /** Milliseconds from sending the statement to its result (or error). */
  readonly durationMs: number;
  /** Rows read, or rows changed by a write; 0 when it failed. */
  readonly rowCount: number;
  /** True when the statement ran inside a transaction. */
  readonly inTransaction: boolean;
  /** The error it failed with (already translated), if it failed. */
  readonly error: ActiveRecordError | undefined;
}

/** Receives query events. */
export type QueryListener = (event: QueryEvent) => void;

/** Options of `onQuery`. */
export interface QueryListenerOptions {
  /** Hand the listener the parameter values instead of their types (they may hold personal data). */
  readonly params?: boolean;
}

interface Subscription {
  readonly listener: QueryListener;
  readonly params: boolean;
}

/** The listeners of one backend. */
export class QueryEvents {
  #subscriptions: readonly Subscription[] = [];

  /** True when someone listens: only then are statements timed. */
  get active(): boolean {
    return this.#subscriptions.length > 0;
  }

  /** Adds `listener`; returns the function that removes it. */
  listen(listener: QueryListener, options: QueryListenerOptions = {}): () => void {
    if (typeof listener !== "function") throw new TypeError("onQuery expects a function");
    const subscription = { listener, params: options.params === true };
    this.#subscriptions = [...this.#subscriptions, subscription];
    return () => {
      this.#subscriptions = this.#subscriptions.filter((s) => s !== subscription);
    };
  }

  /** Reports a statement that started at `started` (from `performance.now()`). */
  emit(
    query: DriverQuery,
    started: number,
    inTransaction: boolean,
    result: QueryResult | undefined,
    error: ActiveRecordError | undefined,
  ): void {
    const durationMs = performance.now() - started;
    const rowCount = result === undefined ? 0 : result.rows.length || result.changes;
    let redacted: readonly unknown[] | undefined;
    for (const { listener, params } of this.#subscriptions) {
      const shown = params ? query.params : (redacted ??= query.params.map(redactedParam));
      try {
        listener({ sql: query.text, params: shown, durationMs, rowCount, inTransaction, error });
      } catch (failure) {
        // A listener's failure must not fail the statement it observed.
        console.error("a query listener threw:", failure);
      }
    }
  }
}

const registry = new WeakMap<Backend, QueryEvents>();

/** The listeners of `backend` (made on first use). */
export function queryEvents(backend: Backend): QueryEvents {
  let events = registry.get(backend);
  if (!events) registry.set(backend, events = new QueryEvents());
  return events;
}

/** Options of `logQueries`. */
export interface LogQueriesOptions extends QueryListenerOptions {
  /** Where lines go (default `console.log`). */
  readonly log?: (line: string) => void;
}

/** A listener that prints each statement with its time: `[1.2 ms] SELECT ... (3 rows)`. */
export function queryLogger(options: LogQueriesOptions = {}): QueryListener {
  const log = options.log ?? ((line: string) => console.log(line));
  return (event) => {
    const time = `[${event.durationMs.toFixed(1)} ms]`;
    const params = event.params.length ? ` -- ${JSON.stringify(event.params, jsonSafe)}` : "";
    const outcome = event.error
      ? ` FAILED: ${event.error.name}`
      : ` (${event.rowCount} row${event.rowCount === 1 ? "" : "s"})`;
    log(`${time}${event.inTransaction ? " [tx]" : ""} ${event.sql}${params}${outcome}`);
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}
