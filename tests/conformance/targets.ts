/**
 * The backend x mode targets of the conformance suite. A new backend joins by adding an entry.
 */
import type { Backend, Mode } from "../../mod.ts";
import Database from "better-sqlite3";
import { SQLiteBackend } from "../../backends/sqlite.ts";

/** What a target can do; tests that need more are skipped with the reason printed. */
export type Capability =
  | "sync" // answers synchronously (sync models, sync transaction rules)
  | "row-locks" // SELECT ... FOR UPDATE locks rows
  | "isolation-levels" // read committed / repeatable read / serializable are all honoured
  | "pool"; // several connections: independent queries run in parallel

/** One backend in one mode. */
export interface Target {
  /** e.g. "sqlite x sync". */
  readonly name: string;
  readonly mode: Mode;
  readonly capabilities: ReadonlySet<Capability>;
  /** Why every test of this target is skipped (server unreachable), if so. */
  readonly unavailable?: string;
  /** A backend on a clean database for one test. */
  open(): Promise<Backend>;
  /** Closes what `open` opened. */
  close(backend: Backend): Promise<void>;
}

const sqlite = (mode: Mode): Target => ({
  name: `sqlite x ${mode}`,
  mode,
  capabilities: new Set<Capability>(mode === "sync" ? ["sync"] : []),
  open: () => Promise.resolve(new SQLiteBackend(":memory:")),
  close: (backend) => Promise.resolve((backend as SQLiteBackend).close()),
});

/** better-sqlite3 (npm, N-API prebuilds) behind the same backend, to exercise its adapter. */
const betterSqlite3: Target = {
  name: "better-sqlite3 x sync",
  mode: "sync",
  capabilities: new Set<Capability>(["sync"]),
  open: () => Promise.resolve(new SQLiteBackend(new Database(":memory:"))),
  close: (backend) => Promise.resolve((backend as SQLiteBackend).close()),
};

/** Every target, in the order their tests are registered. */
export const targets: readonly Target[] = [sqlite("sync"), sqlite("async"), betterSqlite3];
