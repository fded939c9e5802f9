/**
 * Lifecycle: the hooks a model defines as methods (`beforeSave() {...}`) and the listeners subscribed
 * with `Model.on(event, fn)`, run by the save and delete flows through `invoke` (awaited in async
 * mode, a `TypeError` if a sync hook returns a Promise), inside the write's transaction.
 * @module
 */
import { ArgumentError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import { type Flow, invoke } from "../run/request.ts";
import type { Frame } from "../run/frame.ts";
import type { TxFrame } from "../transaction/frame.ts";
import { classChain, internals, type ModelClass, type RecordBase } from "./record.ts";

/**
 * The lifecycle events, in the order a save or a delete meets them.
 *
 * @example
 * ```ts
 * for (const event of LIFECYCLE_EVENTS) User.on(event, (user) => console.log(event, user.id));
 * ```
 */
export const LIFECYCLE_EVENTS = [
  "beforeValidate",
  "afterValidate",
  "beforeSave",
  "beforeCreate",
  "beforeUpdate",
  "afterCreate",
  "afterUpdate",
  "afterSave",
  "beforeDelete",
  "afterDelete",
  "afterCommit",
  "afterRollback",
] as const;

/**
 * A lifecycle event: the name of a hook method and of `Model.on`'s event.
 *
 * @example
 * ```ts
 * const event: LifecycleEvent = "afterCommit";
 * User.on(event, (user) => mail(user));
 * ```
 */
export type LifecycleEvent = typeof LIFECYCLE_EVENTS[number];

/**
 * What a hook or listener returns: nothing in a sync model; nothing or a Promise in an async one.
 *
 * @example
 * ```ts
 * class AsyncOrder extends AsyncActiveRecord.model(orders) {
 *   override async afterCommit(): Promise<void> { await Promise.resolve(mail(this)); }
 * }
 * ```
 */
export type HookResult<M extends Mode> = M extends "async" ? void | Promise<void> : void;

/**
 * A listener of `Model.on`: called with the record.
 *
 * @example
 * ```ts
 * const audit: LifecycleListener<InstanceType<typeof User>, "sync"> = (user) => console.log(user.id);
 * User.on("afterSave", audit);
 * ```
 */
export type LifecycleListener<T, M extends Mode> = (record: T) => HookResult<M>;

/** One callable of an event: a hook method or a listener, with its name for error messages. */
interface Handler {
  readonly what: string;
  readonly call: (record: RecordBase) => unknown;
}

/** The handlers of a class, by event; only events that have some. */
export type Lifecycle = ReadonlyMap<LifecycleEvent, readonly Handler[]>;

const EVENTS = new Set<string>(LIFECYCLE_EVENTS);
const listeners = new WeakMap<ModelClass, Map<LifecycleEvent, Handler[]>>();
const cache = new WeakMap<ModelClass, { version: number; lifecycle: Lifecycle | undefined }>();
/** Bumped by every subscribe and unsubscribe, so that cached lifecycles are rebuilt. */
let version = 0;

/** Subscribes `listener` to `event` of `cls` (and its subclasses); returns the unsubscribe function. */
export function subscribe(cls: ModelClass, event: string, listener: unknown): () => void {
  if (!EVENTS.has(event)) {
    throw new ArgumentError(
      `on(): unknown event ${JSON.stringify(event)}; events: ${LIFECYCLE_EVENTS.join(", ")}`,
    );
  }
  if (typeof listener !== "function") {
    throw new ArgumentError(`on("${event}"): the listener must be a function`);
  }
  let own = listeners.get(cls);
  if (!own) listeners.set(cls, own = new Map());
  let list = own.get(event as LifecycleEvent);
  if (!list) own.set(event as LifecycleEvent, list = []);
  const handler: Handler = {
    what: `a ${cls.name}.on("${event}") listener`,
    call: (record) => listener(record),
  };
  list.push(handler);
  version++;
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    list.splice(list.indexOf(handler), 1);
    version++;
  };
}

/**
 * The hooks and listeners of `cls`, or undefined when it has none (the common case, which then
 * writes without a transaction of its own). For each event the hook method runs first, then the
 * listeners of the class's bases, then its own, in the order they were subscribed.
 */
export function lifecycleOf(cls: ModelClass): Lifecycle | undefined {
  const cached = cache.get(cls);
  if (cached && cached.version === version) return cached.lifecycle;
  const lifecycle = new Map<LifecycleEvent, Handler[]>();
  const chain = classChain(cls);
  for (const event of LIFECYCLE_EVENTS) {
    const handlers: Handler[] = [];
    const method = (cls.prototype as unknown as Record<string, unknown>)[event];
    if (typeof method === "function") {
      handlers.push({ what: `${cls.name}.${event}`, call: (record) => method.call(record) });
    }
    for (const k of chain) handlers.push(...listeners.get(k)?.get(event) ?? []);
    if (handlers.length) lifecycle.set(event, handlers);
  }
  const result = lifecycle.size ? lifecycle : undefined;
  cache.set(cls, { version, lifecycle: result });
  return result;
}

/** Runs the handlers of `event` on `record`, in `frame`'s transaction; the first that throws aborts. */
export function* fire(
  lifecycle: Lifecycle,
  event: LifecycleEvent,
  record: RecordBase,
  frame?: Frame,
): Flow<void> {
  const handlers = lifecycle.get(event);
  if (!handlers) return;
  for (const handler of handlers) yield* invoke(() => handler.call(record), handler.what, frame);
}

/**
 * After a write in `frame`: if the transaction rolls back, the record's state goes back to
 * `snapshot`'s; `afterCommit` runs once the outermost level commits, `afterRollback` when the
 * write's level rolls back. Once per record and transaction.
 */
export function onTransactionEnd(
  frame: TxFrame,
  record: RecordBase,
  lifecycle: Lifecycle | undefined,
  snapshot: ReturnType<typeof internals.snapshot>,
): void {
  frame.onRollbackRestore(record, () => internals.restore(record, snapshot));
  if (!lifecycle || !(lifecycle.has("afterCommit") || lifecycle.has("afterRollback"))) return;
  frame.onEnd(record, {
    commit: () => fire(lifecycle, "afterCommit", record),
    rollback: () => fire(lifecycle, "afterRollback", record),
  });
}
