/**
 * The vocabulary of flows. Flows that mix logic and I/O (save, find, transactions, DDL) are
 * generators written once; they yield these requests and an engine, sync or async, performs them.
 * @module
 */
import type { DriverQuery, QueryResult } from "../backend.ts";
import type { Frame } from "./frame.ts";

/** Run a statement: on `frame`'s connection if given, otherwise where the engine's current scope says. */
export interface QueryRequest {
  /** Discriminant. */
  readonly kind: "query";
  /** The statement. */
  readonly query: DriverQuery;
  /** A transaction level whose connection must run it. */
  readonly frame?: Frame;
}

/**
 * Call user code (a hook, a check) where the flow stands: in sync mode a returned Promise is a
 * `TypeError` (its work would escape the flow); in async mode it is awaited. With `frame`, queries
 * the code issues join that transaction level.
 */
export interface InvokeRequest {
  /** Discriminant. */
  readonly kind: "invoke";
  /** The user code. */
  readonly fn: () => unknown;
  /** What it is, for the error message (`"User.beforeSave"`). */
  readonly what: string;
  /** The transaction level the code runs in, if any. */
  readonly frame?: Frame;
}

/** Every request a flow may yield; the comment says what the engine sends back. */
export type Request =
  | QueryRequest // -> QueryResult
  | { readonly kind: "current" } // -> Frame | undefined: the transaction the caller is inside
  | { readonly kind: "reserve" } // -> a connection for a new transaction
  | { readonly kind: "open"; readonly frame: Frame } // -> void: the level is now current
  | { readonly kind: "close"; readonly frame: Frame } // -> void: the level ended; a root gives its connection back
  | { readonly kind: "call"; readonly frame: Frame; readonly fn: () => unknown } // -> the callback's result
  | InvokeRequest; // -> the result of user code, awaited in async mode

/** A flow returning `T`. Resumed values depend on the request, hence `any`. */
// deno-lint-ignore no-explicit-any
export type Flow<T> = Generator<Request, T, any>;

/** Runs one statement. */
export function* execute(query: DriverQuery, frame?: Frame): Flow<QueryResult> {
  return yield { kind: "query", query, frame };
}

/**
 * Calls user code `fn` (named `what` in errors): a value in sync mode, awaited in async mode; inside
 * `frame`'s transaction when given.
 */
export function* invoke<T>(fn: () => T | Promise<T>, what: string, frame?: Frame): Flow<T> {
  return yield { kind: "invoke", fn, what, frame };
}
