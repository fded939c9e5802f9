/**
 * postgres.js pools that are retired when they break. Under Deno a pooled connection killed while
 * idle can keep its query slot after the error (porsager/postgres#1130, #1223): the next query fails
 * and every later one never settles. So after a connection failure (or a query that timed out) the
 * pool is retired: new work goes to a fresh pool, and the old one is ended once the transactions
 * still holding its connections have finished (queries stuck in it are cut after `closeTimeout`).
 * @module
 */
import type { DriverQuery, QueryResult } from "../../src/backend.ts";
import { QueryCanceledError } from "../../src/errors.ts";
import { postgresError } from "./errors.ts";

/** The connection object postgres.js hands to `onexecute`. */
export interface PostgresConnectionHandle {
  onclose: ((error: unknown) => void) | null;
}

/** A pending postgres.js query. */
interface PendingQuery extends PromiseLike<RawResult> {
  cancel(): unknown;
}

/** The part of a postgres.js result this backend reads. */
interface RawResult extends Array<unknown[]> {
  readonly count: number | null;
  readonly columns?: readonly { name: string }[];
}

/** Options of postgres.js's `unsafe`. */
interface UnsafeOptions {
  readonly prepare: boolean;
  readonly onexecute?: (connection: PostgresConnectionHandle) => boolean;
}

/** The part of postgres.js's `Sql` this backend uses. */
export interface PostgresSql {
  unsafe(text: string, params: unknown[], options: UnsafeOptions): { values(): PendingQuery };
  reserve(): Promise<PostgresSql & { release(): void }>;
  end(options: { timeout: number }): Promise<void>;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** The error of a statement that outlived `queryTimeout`: the backend's own, not the server's. */
function timeoutError(ms: number, query: DriverQuery): QueryCanceledError {
  return new QueryCanceledError(
    `PostgreSQL: the statement ran longer than queryTimeout (${ms} ms) and was cancelled`,
    { sql: query.text, params: query.params },
  );
}

/** True for the error of a statement cut by `queryTimeout` (the server's cancellations are `DriverError`s here). */
export function isTimeout(error: unknown): boolean {
  return error instanceof QueryCanceledError;
}

/**
 * Runs one statement. With `timeout`, a statement still running after it is cancelled on the server
 * (when it can be reached) and rejected at once with SQLSTATE 57014. Chained rather than awaited
 * through async functions: each async layer costs microtask turns per statement.
 */
export function execute(
  sql: PostgresSql,
  query: DriverQuery,
  timeout: number | undefined,
  watch?: UnsafeOptions["onexecute"],
): Promise<QueryResult> {
  // Statements are prepared (postgres.js caches them per connection), which saves the server parsing
  // and planning again. Text with a semicolon and no parameters may hold several statements, which
  // only the simple protocol accepts.
  const prepare = query.params.length > 0 || !query.text.includes(";");
  const failed = (error: unknown): never => {
    throw postgresError(error, { sql: query.text, params: query.params });
  };
  let pending: PendingQuery;
  try {
    pending = sql.unsafe(query.text, query.params as unknown[], { prepare, onexecute: watch }).values();
  } catch (error) {
    return Promise.reject(postgresError(error, { sql: query.text, params: query.params }));
  }
  const rows = timeout === undefined ? pending : send(pending, timeout, query);
  return Promise.resolve(rows.then(resultOf, failed));
}

function resultOf(rows: RawResult): QueryResult {
  const columns = rows.columns ? rows.columns.map((c) => c.name) : EMPTY;
  return { columns, rows, changes: rows.count ?? 0 };
}

/** The rows of `pending`, cancelled and rejected once it outlives `timeout`. */
async function send(pending: PendingQuery, timeout: number, query: DriverQuery): Promise<RawResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      Promise.resolve(pending.cancel()).catch(() => {}); // best effort: the server may be unreachable
      reject(timeoutError(timeout, query));
    }, timeout);
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** One postgres.js instance and the transactions holding its connections. */
export interface Generation {
  readonly sql: PostgresSql;
  /** Reserved sessions not yet released (or given up as lost). */
  leases: number;
  retired: boolean;
}

/** The current pool, and the retired ones still ending. */
export class RetiringPool {
  readonly #make: () => PostgresSql;
  readonly #closeTimeout: number;
  readonly #ending = new Set<Promise<void>>();
  #current: Generation;

  /** `make` opens a postgres.js pool; `closeTimeout` (ms) is how long ending waits for running queries. */
  constructor(make: () => PostgresSql, closeTimeout: number) {
    this.#make = make;
    this.#closeTimeout = closeTimeout;
    this.#current = this.#generation();
  }

  #generation(): Generation {
    return { sql: this.#make(), leases: 0, retired: false };
  }

  /** The pool new work goes to. */
  get current(): Generation {
    return this.#current;
  }

  /** `generation` broke: new work goes to a fresh pool; it ends once its transactions are done. */
  retire(generation: Generation): void {
    if (generation.retired) return;
    generation.retired = true;
    if (this.#current === generation) this.#current = this.#generation();
    this.#endIfDone(generation);
  }

  /** A transaction holds one of `generation`'s connections. */
  lease(generation: Generation): void {
    generation.leases++;
  }

  /** The transaction ended (or its connection was lost). */
  unlease(generation: Generation): void {
    generation.leases--;
    this.#endIfDone(generation);
  }

  #endIfDone(generation: Generation): void {
    if (!generation.retired || generation.leases > 0) return;
    const ending = generation.sql.end({ timeout: this.#closeTimeout / 1000 }).catch(() => {});
    this.#ending.add(ending);
    ending.finally(() => this.#ending.delete(ending));
  }

  /** Ends every pool, letting running queries finish for up to `closeTimeout`. */
  async close(): Promise<void> {
    await Promise.all([this.#current.sql.end({ timeout: this.#closeTimeout / 1000 }), ...this.#ending]);
  }
}
