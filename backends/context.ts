/**
 * The async context of server runtimes (Deno, Node, Bun): an `AsyncLocalStorage` that carries the
 * current transaction across `await`. Server backends inject it; the core never imports it.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { TransactionContext } from "../src/backend.ts";

const storage = new AsyncLocalStorage<unknown>();

/**
 * The shared server context. Entries are keyed by engine, so one storage serves every backend.
 *
 * @example
 * ```ts
 * import { serverContext } from "@rho/activerecord/sqlite";
 * new SQLiteBackend(":memory:", { context: serverContext });
 * ```
 */
export const serverContext: TransactionContext = {
  run: (frame, fn) => storage.run(frame, fn),
  get: () => storage.getStore(),
};
