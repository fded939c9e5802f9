/**
 * One engine per backend face, shared by every model and connection on it, so that they all see the
 * same open transactions.
 * @module
 */
import type { Backend } from "../backend.ts";
import { ConfigurationError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import { AsyncEngine } from "./async_engine.ts";
import type { Engine } from "./engine.ts";
import { queryEvents } from "./events.ts";
import { SyncEngine } from "./sync_engine.ts";

const syncEngines = new WeakMap<object, SyncEngine>();
const asyncEngines = new WeakMap<object, AsyncEngine>();

/** The engine of `backend` for `mode`; a sync engine on an async-only backend is a `ConfigurationError`. */
export function engineFor<M extends Mode>(backend: Backend, mode: M): Engine<M> {
  if (!backend || typeof backend !== "object" || !("async" in backend) || !backend.dialect) {
    throw new ConfigurationError(
      'configure() expects a backend (e.g. new SQLiteBackend(":memory:")) or a URL',
    );
  }
  if (mode === "sync") {
    const face = backend.sync;
    if (!face) {
      throw new ConfigurationError(
        `the ${backend.dialect.name} backend answers only asynchronously: use AsyncActiveRecord or connectAsync()`,
      );
    }
    let engine = syncEngines.get(face);
    if (!engine) syncEngines.set(face, engine = new SyncEngine(face, queryEvents(backend)));
    return engine as unknown as Engine<M>;
  }
  const face = backend.async;
  let engine = asyncEngines.get(face);
  if (!engine) asyncEngines.set(face, engine = new AsyncEngine(face, queryEvents(backend)));
  return engine as unknown as Engine<M>;
}
