/**
 * The binding of a model class to a backend: `configure` stores the backend and its engine on the
 * class, and every method finds them there (a subclass inherits its base's binding).
 * @module
 */
import type { Backend } from "../backend.ts";
import { ConfigurationError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import type { Engine } from "../run/engine.ts";
import { engineFor } from "../run/engines.ts";
import { resolveBackend } from "../run/registry.ts";
import type { Flow } from "../run/request.ts";
import type { RecordSource } from "../relation/source.ts";
import type { Schema } from "../schema/schema.ts";
import { hydrate } from "./hydrate.ts";
import { internals, type ModelClass, type RecordBase } from "./record.ts";
import { findModel, modelFor, registerConfigured } from "./registry.ts";
import { schemaScopes, scopesOf } from "./scopes.ts";

const ENGINE = Symbol("engine");
const BACKEND = Symbol("backend");

/** Binds `cls` (and the classes below it) to `target`; returns the engine. */
export function bind(cls: ModelClass, target: Backend | string | undefined): Engine<Mode> {
  const backend = resolveBackend(target);
  const engine = engineFor(backend, cls.mode);
  Object.defineProperty(cls, ENGINE, { value: engine, configurable: true });
  Object.defineProperty(cls, BACKEND, { value: backend, configurable: true });
  registerConfigured(cls);
  return engine;
}

/** The backend `cls` is bound to; `ConfigurationError` before `configure`. */
export function backendOf(cls: ModelClass): Backend {
  engineOf(cls);
  return (cls as unknown as Record<symbol, Backend>)[BACKEND];
}

/** The engine a model class is configured with; `ConfigurationError` before `configure`. */
export function engineOf(cls: ModelClass): Engine<Mode> {
  const engine = (cls as unknown as Record<symbol, Engine<Mode> | undefined>)[ENGINE];
  if (!engine) {
    throw new ConfigurationError(
      `${cls.name} is not configured: call ${cls.name}.configure(backend) (or configure a base class) first`,
    );
  }
  return engine;
}

/** The schema of a model class; `ConfigurationError` on a base class. */
export function requireSchema(cls: ModelClass): Schema {
  if (!cls.schema) {
    throw new ConfigurationError(`${cls.name} has no schema: extend ActiveRecord.model(schema)`);
  }
  return cls.schema;
}

/** Runs `flow` on the engine of `cls`. */
export function run<T>(cls: ModelClass, flow: Flow<T>): unknown {
  return engineOf(cls).run(flow);
}

/** A statement that checks that the database answers. */
export function* pingFlow(): Flow<void> {
  yield { kind: "query", query: { text: "SELECT 1", params: [], returnsRows: true } };
}

const sources = new WeakMap<ModelClass, RecordSource>();

/** `cls` as queries and relations see it (one per class, so that each subclass gets its own instances). */
export function sourceOf(cls: ModelClass): RecordSource {
  let source = sources.get(cls);
  if (!source) {
    const schema = requireSchema(cls);
    source = {
      name: cls.name,
      schema,
      engine: () => engineOf(cls),
      hydrate: (table, result) => hydrate(cls, table, result),
      related: (target) => sourceOf(target === schema ? cls : modelFor(target, cls.mode)),
      value: (record, field) => internals.values(record as RecordBase)[field.index],
      setLoaded: (record, name, value) => internals.setRelated(record as RecordBase, name, value),
      scopes: () => scopesOf(cls),
      relatedScopes(target) {
        const model = target === schema ? cls : findModel(target, cls.mode);
        return model ? scopesOf(model) : schemaScopes(target);
      },
    };
    sources.set(cls, source);
  }
  return source;
}
