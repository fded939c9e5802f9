/**
 * Which class a loaded related row becomes, per schema and mode. The rule, deterministic and
 * documented: the class that `configure()` was last called on for that schema and mode (a subclass
 * is never replaced by one of its own bases); before any is configured, the class
 * `ActiveRecord.model(schema)` (or `AsyncActiveRecord.model`) made last.
 * @module
 */
import { ConfigurationError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import type { Schema } from "../schema/schema.ts";
import type { ModelClass } from "./record.ts";

interface Entry {
  configured?: ModelClass;
  defined?: ModelClass;
}

const classes = new WeakMap<Schema, Record<Mode, Entry>>();

function entry(schema: Schema, mode: Mode): Entry {
  let byMode = classes.get(schema);
  if (!byMode) classes.set(schema, byMode = { sync: {}, async: {} });
  return byMode[mode];
}

/** `model(schema)` made `cls`. */
export function registerDefined(cls: ModelClass): void {
  entry(cls.schema, cls.mode).defined = cls;
}

/** `configure()` was called on `cls`: related rows of its schema and mode become instances of it. */
export function registerConfigured(cls: ModelClass): void {
  if (!cls.schema) return; // a base of several schemas (ActiveRecord itself)
  const found = entry(cls.schema, cls.mode);
  const current = found.configured;
  if (current && current !== cls && current.prototype instanceof cls) return; // keep the subclass
  found.configured = cls;
}

/** The class related rows of `schema` become in `mode`, if there is one. */
export function findModel(schema: Schema, mode: Mode): ModelClass | undefined {
  const found = entry(schema, mode);
  return found.configured ?? found.defined;
}

/** The class related rows of `schema` become in `mode`; `ConfigurationError` when there is none. */
export function modelFor(schema: Schema, mode: Mode): ModelClass {
  const cls = findModel(schema, mode);
  if (!cls) {
    const base = mode === "sync" ? "ActiveRecord" : "AsyncActiveRecord";
    throw new ConfigurationError(
      `no ${mode} model of ${schema.table} to load related rows into: define one with ${base}.model(...) ` +
        `and configure it`,
    );
  }
  return cls;
}
