/**
 * Default scopes: conditions every read of a model carries (queries, finders, refresh, aggregates,
 * relations, `whereHas`, bulk updates and deletes) until a query lifts them with `unscoped()`. A
 * model declares its own with `defaultScope`; a subclass has its bases' too.
 * @module
 */
import { ArgumentError } from "../errors.ts";
import type { Scope } from "../relation/source.ts";
import type { Schema } from "../schema/schema.ts";
import type { SqlFragment } from "../sql/fragment.ts";
import { classChain, type ModelClass } from "./record.ts";

/** The name of the scopes models declare (soft deletes' is `"softDelete"`). */
export const DEFAULT_SCOPE = "default";

const own = new WeakMap<ModelClass, Scope[]>();
const cache = new WeakMap<ModelClass, { version: number; scopes: readonly Scope[] }>();
const schemaScopeMakers: ((schema: Schema) => Scope | undefined)[] = [];
/** Bumped by every `defaultScope`, so that cached lists are rebuilt. */
let version = 0;

/** Adds `make` to what gives a schema its own scopes (soft delete's, from its columns). */
export function addSchemaScope(make: (schema: Schema) => Scope | undefined): void {
  schemaScopeMakers.push(make);
}

/** The scopes a schema's columns give it, whatever the model. */
export function schemaScopes(schema: Schema): Scope[] {
  const scopes: Scope[] = [];
  for (const make of schemaScopeMakers) {
    const scope = make(schema);
    if (scope) scopes.push(scope);
  }
  return scopes;
}

/**
 * Adds a default scope to `cls`: `condition` builds its condition when a statement is built. It is
 * built once now, so that a scope that is not a condition fails here rather than at the first read.
 */
export function addDefaultScope(cls: ModelClass, condition: () => SqlFragment | undefined): void {
  condition();
  let list = own.get(cls);
  if (!list) own.set(cls, list = []);
  list.push({ name: DEFAULT_SCOPE, condition });
  version++;
}

/** The default scopes of `cls`: its schema's, then its bases' and its own declared ones. */
export function scopesOf(cls: ModelClass): readonly Scope[] {
  const cached = cache.get(cls);
  if (cached && cached.version === version) return cached.scopes;
  const scopes = schemaScopes(cls.schema);
  const chain = classChain(cls);
  for (const k of chain) scopes.push(...own.get(k) ?? []);
  cache.set(cls, { version, scopes });
  return scopes;
}

/** An `ArgumentError` unless `scope` is a function. */
export function requireScopeFunction(scope: unknown, model: string): void {
  if (typeof scope !== "function") {
    throw new ArgumentError(`${model}.defaultScope() takes a function (q) => q.where(...)`);
  }
}
