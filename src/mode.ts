/**
 * Sync and async share one implementation; a method's result type depends on the mode.
 *
 * @example
 * ```ts
 * import type { Out } from "@rho/activerecord";
 * type A = Out<"sync", number>;  // number
 * type B = Out<"async", number>; // Promise<number>
 * ```
 * @module
 */

/** How a model or connection answers: with values (`"sync"`) or with Promises (`"async"`). */
export type Mode = "sync" | "async";

/**
 * A result of type `T` as seen in mode `M`: `T` itself in sync mode, `Promise<T>` in async mode.
 *
 * @example
 * ```ts
 * const n: Out<"async", number> = Promise.resolve(1);
 * ```
 */
export type Out<M extends Mode, T> = M extends "async" ? Promise<T> : T;
