/**
 * For sync targets: the library's objects (model classes, records, queries, connections and
 * transaction handles) wrapped so that any method returning a thenable fails the test at once. The
 * suite awaits every call (harmless on values), so without this a sync method that wrongly
 * returned a Promise would pass.
 */
import { ActiveQuery, Executor, RecordBase } from "../../mod.ts";

const proxies = new WeakMap<object, object>();
const targets = new WeakMap<object, object>();

function isLibraryObject(value: unknown): value is object {
  return value instanceof RecordBase || value instanceof ActiveQuery || value instanceof Executor ||
    (typeof value === "function" && "schema" in value && "mode" in value);
}

function isThenable(value: unknown): boolean {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}

/** `value` with its library objects wrapped (arrays of records element by element). */
function wrapResult(value: unknown, what: string): unknown {
  if (isThenable(value)) throw new Error(`a sync target returned a Promise from ${what}`);
  if (Array.isArray(value) && value.some(isLibraryObject)) return value.map((v) => wrapResult(v, what));
  return isLibraryObject(value) ? strict(value) : value;
}

/** The library gets its own objects back, never proxies (they have no private fields). */
function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.some((v) => targets.has(v)) ? value.map(unwrap) : value;
  return (value !== null && typeof value === "object") || typeof value === "function"
    ? targets.get(value as object) ?? value
    : value;
}

/**
 * What the library receives: its own objects unwrapped; callbacks wrapped so that they receive
 * wrapped arguments (a transaction handle, a query) and hand back unwrapped results.
 */
function wrapArgument(value: unknown): unknown {
  if (typeof value !== "function" || isLibraryObject(value)) return unwrap(value);
  return function (this: unknown, ...args: unknown[]) {
    const wrapped = args.map((a) => wrapResult(a, "a callback argument"));
    return unwrap((value as (...a: unknown[]) => unknown).apply(this, wrapped));
  };
}

/** The sync-checking proxy of `target` (one per object, so identity holds). */
export function strict<T extends object>(target: T): T {
  const existing = proxies.get(target);
  if (existing) return existing as T;
  const proxy: T = new Proxy(target, {
    get(object, key, receiver) {
      // A subclass (or instance) reaching this proxy through its prototype keeps its own `this`.
      const self = receiver === proxy ? object : receiver;
      const value = Reflect.get(object, key, self);
      // `prototype` must stay as it is (a proxy invariant); `await using` expects a Promise from asyncDispose.
      if (key === "prototype") return value;
      if (key === Symbol.asyncDispose) return (value as () => unknown).bind(object);
      if (typeof value !== "function" || key === "constructor" || isLibraryObject(value)) {
        return isLibraryObject(value) ? strict(value) : value;
      }
      const name = `${String((object as { name?: unknown }).name ?? object.constructor?.name)}.${
        String(key)
      }`;
      return function (this: unknown, ...args: unknown[]) {
        const thisArg = this === proxy || this === undefined ? object : this;
        return wrapResult(Reflect.apply(value, thisArg, args.map(wrapArgument)), name);
      };
    },
    set(object, key, value, receiver) {
      return Reflect.set(object, key, unwrap(value), receiver === proxy ? object : receiver);
    },
    construct(object, args, newTarget) {
      const direct = newTarget === proxy;
      const constructor = (direct ? object : newTarget) as new (...a: unknown[]) => object;
      const instance = Reflect.construct(object as new (...a: unknown[]) => object, args, constructor);
      // A subclass's super() call must get the real instance: it becomes that constructor's `this`.
      return direct ? strict(instance) : instance;
    },
  });
  proxies.set(target, proxy);
  targets.set(proxy, target);
  return proxy;
}
