/**
 * The conformance harness: each behaviour test is written once and registered for every
 * backend x mode target. Tests use `await` on every model call (harmless on sync values) and write
 * transaction callbacks as generators (`env.cb`), which run synchronously for sync targets and with
 * `await` for async ones.
 */
import {
  ActiveRecord,
  type ActiveRecordClass,
  AsyncActiveRecord,
  type Backend,
  type ColumnMap,
  connect,
  connectAsync,
  type Connection,
  type EmptyRelations,
  type Mode,
  type RelationTypes,
  type Schema,
} from "../../mod.ts";
import { strict } from "./strict.ts";
import { type Capability, type Target, targets } from "./targets.ts";

export type { Capability, Target };

/** What a test gets: the target, a fresh backend, and helpers. */
export interface Env {
  readonly target: Target;
  readonly mode: Mode;
  readonly backend: Backend;
  /** Every statement sent to the database by models and `db`, in order (from query events). */
  readonly statements: string[];
  /** Runs `action` and fails unless it sent exactly `count` statements; returns its result. */
  assertQueries<R>(count: number, action: () => R | Promise<R>): Promise<R>;
  /**
   * A raw connection on the same database (for checks that bypass models). Typed as the sync
   * connection, like `model()`: every call is awaited.
   */
  readonly db: Connection<"sync">;
  /**
   * A model class of the target's mode for `schema`, configured on the backend. Typed as the sync
   * class; every call is awaited, which works for both modes.
   */
  model<C extends ColumnMap, R extends RelationTypes = EmptyRelations>(
    schema: Schema<C, R>,
  ): Promise<ActiveRecordClass<C, R>>;
  /** Another backend on the same database (server targets only), e.g. to commit from outside a transaction. */
  beside(): Backend & { close(): Promise<void> };
  /** Drops and creates the tables of `models`, children after parents. */
  createTables(...models: ActiveRecordClass<ColumnMap>[]): Promise<void>;
  /** A transaction callback of the target's mode from a generator: `yield` marks each awaited call. */
  // deno-lint-ignore no-explicit-any
  cb<A extends unknown[], R>(generator: (...args: A) => Generator<unknown, R, any>): (...args: A) => any;
}

/** Registers `fn` for every target; `requires` names capabilities, and missing ones are printed as skips. */
export function conformance(
  name: string,
  fn: (env: Env, t: Deno.TestContext) => Promise<void>,
  options: { requires?: Capability[]; only?: (target: Target) => boolean } = {},
): void {
  for (const target of targets) {
    if (options.only && !options.only(target)) continue;
    const missing = (options.requires ?? []).filter((c) => !target.capabilities.has(c));
    if (target.unavailable || missing.length) {
      const why = target.unavailable ?? `${target.name} lacks ${missing.join(", ")}`;
      Deno.test({ name: `${target.name} | ${name} [skipped: ${why}]`, ignore: true, fn() {} });
      continue;
    }
    Deno.test(`${target.name} | ${name}`, async (t) => {
      const backend = await target.open();
      const connection =
        (target.mode === "sync" ? connect(backend) : await connectAsync(backend)) as Connection<
          "sync"
        >;
      // Sync targets fail on any Promise the library hands back (see strict.ts).
      const guard = <T extends object>(value: T): T => target.mode === "sync" ? strict(value) : value;
      const db = guard(connection);
      // Statements are counted through query events, on the backend itself: no wrapper in between.
      const statements: string[] = [];
      connection.onQuery((event) => statements.push(event.sql));
      const created: ActiveRecordClass<ColumnMap>[] = [];
      const env: Env = {
        target,
        mode: target.mode,
        backend,
        statements,
        async assertQueries(count, action) {
          const before = statements.length;
          const result = await action();
          const sent = statements.slice(before);
          if (sent.length !== count) {
            throw new Error(`expected ${count} statement(s), ${sent.length} were sent:\n${sent.join("\n")}`);
          }
          return result;
        },
        db,
        beside() {
          if (!target.beside) throw new Error(`${target.name} has no second connection to its database`);
          return target.beside(backend);
        },
        async model<C extends ColumnMap, R extends RelationTypes = EmptyRelations>(schema: Schema<C, R>) {
          const base = target.mode === "sync" ? ActiveRecord : AsyncActiveRecord;
          const cls = class extends (base.model(schema) as unknown as ActiveRecordClass<ColumnMap>) {};
          Object.defineProperty(cls, "name", { value: pascal(schema.table) });
          await cls.configure(backend);
          return guard(cls) as unknown as ActiveRecordClass<C, R>;
        },
        async createTables(...models) {
          for (const model of [...models].reverse()) await model.dropTable({ ifExists: true });
          for (const model of models) {
            await model.createTable();
            created.push(model);
          }
        },
        cb: (generator) => target.mode === "sync" ? runSync(generator) : runAsync(generator),
      };
      try {
        await fn(env, t);
      } finally {
        for (const model of created.reverse()) {
          try {
            await model.dropTable({ ifExists: true });
          } catch {
            // the test may have closed the backend itself
          }
        }
        await target.close(backend);
      }
    });
  }
}

function pascal(table: string): string {
  const bare = table.replace(/^ar_/, "");
  const singular = bare.endsWith("s") ? bare.slice(0, -1) : bare;
  return singular.replace(/(^|_)(\w)/g, (_, __, ch: string) => ch.toUpperCase());
}

// deno-lint-ignore no-explicit-any
type Gen<A extends unknown[], R> = (...args: A) => Generator<unknown, R, any>;

function runSync<A extends unknown[], R>(generator: Gen<A, R>): (...args: A) => R {
  return (...args) => {
    const it = generator(...args);
    let input: unknown;
    for (;;) {
      const step = it.next(input);
      if (step.done) return step.value;
      if (step.value instanceof Promise) throw new Error("a sync target yielded a Promise");
      input = step.value;
    }
  };
}

function runAsync<A extends unknown[], R>(generator: Gen<A, R>): (...args: A) => Promise<R> {
  return async (...args) => {
    const it = generator(...args);
    let input: unknown;
    let error: unknown;
    let failed = false;
    for (;;) {
      const step = failed ? it.throw(error) : it.next(input);
      if (step.done) return step.value;
      failed = false;
      try {
        input = await step.value;
      } catch (e) {
        error = e;
        failed = true;
      }
    }
  };
}

/**
 * Like `rejects`, usable inside `env.cb` generators: a sync call must throw synchronously (a Promise
 * back from it fails the check), an async one is checked when it settles.
 */
export function fails<E extends Error>(
  action: () => unknown,
  type: abstract new (...args: never[]) => E,
  message?: RegExp,
): unknown {
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return check(error, type, message);
  }
  if (result instanceof Promise) {
    return result.then(() => check(undefined, type, message), (error) => check(error, type, message));
  }
  return check(undefined, type, message);
}

function check<E extends Error>(
  caught: unknown,
  type: abstract new (...args: never[]) => E,
  message?: RegExp,
): E {
  if (!(caught instanceof type)) {
    throw new Error(
      `expected ${type.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : caught}`,
    );
  }
  if (message && !message.test(caught.message)) {
    throw new Error(`expected ${type.name} message to match ${message}, got: ${caught.message}`);
  }
  return caught;
}

/** Asserts that `promiseOrValue` rejects/throws an instance of `type`; returns the error. */
export async function rejects<E extends Error>(
  action: () => unknown,
  type: abstract new (...args: never[]) => E,
  message?: RegExp,
): Promise<E> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  return check(caught, type, message);
}
