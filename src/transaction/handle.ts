/**
 * What connections and transaction handles share: raw statements and nested transactions, in
 * either mode.
 * @module
 */
import type { Dialect, TransactionOptions } from "../dialect/dialect.ts";
import type { Mode, Out } from "../mode.ts";
import type { Engine } from "../run/engine.ts";
import { execute, type Flow } from "../run/request.ts";
import {
  beginFlow,
  callFlow,
  endFlow,
  requireActive,
  savepointEndFlow,
  savepointFlow,
  transactionFlow,
} from "./flows.ts";
import type { TxFrame } from "./frame.ts";
import { compileStatement, type Row, rowObjects, type Statement } from "../run/statement.ts";

/** A transaction callback: sync mode takes a plain function, async mode may return a Promise. */
export type TransactionCallback<M extends Mode, R> = M extends "async"
  ? (tx: Transaction<M>) => R | Promise<R>
  : (tx: Transaction<M>) => R;

/**
 * Runs raw SQL in mode `M`. Base of `Connection` and `Transaction`.
 *
 * @example
 * ```ts
 * const db = connect("sqlite::memory:");
 * db.executeNonQuery("create table t (x integer)");
 * db.execute("select * from t where x > ?", [1]);
 * ```
 */
export class Executor<M extends Mode> {
  readonly #engine: Engine<M>;
  readonly #frame: TxFrame | undefined;

  /** Binds to `engine`, inside `frame`'s transaction when given. */
  constructor(engine: Engine<M>, frame?: TxFrame) {
    this.#engine = engine;
    this.#frame = frame;
  }

  /** The SQL flavour. */
  get dialect(): Dialect {
    return this.#engine.dialect;
  }

  /**
   * Runs a query and returns its rows as objects.
   *
   * @example
   * ```ts
   * const rows = db.execute("select id, name from users where name like ?", ["J%"]);
   * const same = db.execute(sql`select id, name from users where name like ${"J%"}`);
   * ```
   */
  execute<T = Row>(statement: Statement, params?: readonly unknown[]): Out<M, T[]> {
    return this.#run(this.#rows<T>(statement, params));
  }

  /**
   * Runs a query and returns the first column of its first row (undefined when there is no row).
   *
   * @example
   * ```ts
   * const n = db.executeScalar("select count(*) from users") as number;
   * ```
   */
  executeScalar<T = unknown>(statement: Statement, params?: readonly unknown[]): Out<M, T | undefined> {
    return this.#run(this.#scalar<T>(statement, params));
  }

  /**
   * Runs a statement and returns the number of rows it changed.
   *
   * @example
   * ```ts
   * const changed = db.executeNonQuery("update users set active = ? where id = ?", [false, 3]);
   * ```
   */
  executeNonQuery(statement: Statement, params?: readonly unknown[]): Out<M, number> {
    return this.#run(this.#changes(statement, params));
  }

  /**
   * Runs `fn` in a transaction (a savepoint when already inside one): commits when it returns,
   * rolls back and rethrows when it throws.
   *
   * @example
   * ```ts
   * db.transaction((tx) => {
   *   tx.executeNonQuery("update accounts set balance = balance - 10 where id = 1");
   *   tx.executeNonQuery("update accounts set balance = balance + 10 where id = 2");
   * });
   * ```
   */
  transaction<R>(fn: TransactionCallback<M, R>, options: TransactionOptions = {}): Out<M, R> {
    return runTransaction(this.#engine, fn, options, this.#frame);
  }

  /**
   * Opens a transaction (a savepoint when already inside one) and returns its handle; it rolls back
   * when disposed unless committed.
   *
   * @example
   * ```ts
   * using tx = db.begin();
   * tx.executeNonQuery("delete from sessions");
   * tx.commit();
   * ```
   */
  begin(options: TransactionOptions = {}): Out<M, Transaction<M>> {
    return beginTransaction(this.#engine, options, this.#frame);
  }

  #run<T>(flow: Flow<T>): Out<M, T> {
    return this.#engine.run(flow, this.#frame);
  }

  *#rows<T>(statement: Statement, params?: readonly unknown[]): Flow<T[]> {
    if (this.#frame) requireActive(this.#frame);
    const result = yield* execute(compileStatement(this.dialect, statement, params, true));
    return rowObjects<T>(this.dialect, result);
  }

  *#scalar<T>(statement: Statement, params?: readonly unknown[]): Flow<T | undefined> {
    if (this.#frame) requireActive(this.#frame);
    const result = yield* execute(compileStatement(this.dialect, statement, params, true));
    const row = result.rows[0];
    return row === undefined ? undefined : this.dialect.normalize(row[0]) as T;
  }

  *#changes(statement: Statement, params?: readonly unknown[]): Flow<number> {
    if (this.#frame) requireActive(this.#frame);
    const result = yield* execute(compileStatement(this.dialect, statement, params, false));
    return result.changes;
  }
}

/**
 * The handle of an open transaction: raw SQL inside it, nested transactions (savepoints), explicit
 * savepoints, commit and rollback. Disposing it rolls back unless it was committed.
 *
 * @example
 * ```ts
 * User.transaction((tx) => {
 *   const sp = tx.savepoint();
 *   User.create({ name: "maybe", email: "maybe@example.com" });
 *   tx.rollbackToSavepoint(sp); // undo just that
 * });
 * ```
 */
export class Transaction<M extends Mode> extends Executor<M> {
  readonly #engine: Engine<M>;
  readonly #frame: TxFrame;

  /** Wraps an open level; made by `transaction()` and `begin()`. */
  constructor(engine: Engine<M>, frame: TxFrame) {
    super(engine, frame);
    this.#engine = engine;
    this.#frame = frame;
  }

  /** True until committed or rolled back (or its enclosing transaction ends). */
  get isActive(): boolean {
    return this.#frame.isActive;
  }

  /** True for a savepoint level (a transaction opened inside another). */
  get isNested(): boolean {
    return this.#frame.parent !== undefined;
  }

  /**
   * Runs `fn` with this transaction as the current one: queries through models inside join it.
   * Callbacks of `transaction()` already are; use this with a handle from `begin()`.
   *
   * @example
   * ```ts
   * await using tx = await AsyncUser.begin();
   * await tx.run(async () => {
   *   await AsyncUser.create({ name: "Ann", email: "ann@example.com" });
   * });
   * await tx.commit();
   * ```
   */
  run<R>(fn: TransactionCallback<M, R>): Out<M, R> {
    const callback = fn as (tx: Transaction<M>) => R;
    return this.#engine.run(callFlow(this.#frame, () => callback(this)), this.#frame) as Out<M, R>;
  }

  /** Commits (releases the savepoint, when nested). */
  commit(): Out<M, void> {
    return this.#engine.run(endFlow(this.dialect, this.#frame, true), this.#frame);
  }

  /** Rolls back (to the savepoint, when nested). */
  rollback(): Out<M, void> {
    return this.#engine.run(endFlow(this.dialect, this.#frame, false), this.#frame);
  }

  /** Sets a savepoint named `name` (or a generated name) and returns the name. */
  savepoint(name?: string): Out<M, string> {
    return this.#engine.run(savepointFlow(this.dialect, this.#frame, name), this.#frame);
  }

  /** Releases savepoint `name`, keeping its changes. */
  releaseSavepoint(name: string): Out<M, void> {
    return this.#engine.run(savepointEndFlow(this.dialect, this.#frame, name, false), this.#frame);
  }

  /** Undoes everything since savepoint `name`; the savepoint stays set. */
  rollbackToSavepoint(name: string): Out<M, void> {
    return this.#engine.run(savepointEndFlow(this.dialect, this.#frame, name, true), this.#frame);
  }

  /** Rolls back unless already ended (for `using`). */
  [Symbol.dispose](): void {
    if (this.#engine.mode === "async") {
      throw new TypeError("an async transaction must be disposed with `await using`");
    }
    if (this.#frame.isActive) this.rollback();
  }

  /** Rolls back unless already ended (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#frame.isActive) await this.rollback();
  }
}

/** Runs `fn` in a transaction on `engine`, nested inside `outer` when given. */
export function runTransaction<M extends Mode, R>(
  engine: Engine<M>,
  fn: TransactionCallback<M, R>,
  options: TransactionOptions,
  outer?: TxFrame,
): Out<M, R> {
  if (typeof fn !== "function") throw new TypeError("transaction() expects a callback");
  const callback = fn as (tx: Transaction<M>) => R;
  return engine.run(
    transactionFlow(engine.dialect, options, (frame) => callback(new Transaction(engine, frame))),
    outer,
  ) as Out<M, R>;
}

/** Opens a transaction on `engine` and returns its handle. */
export function beginTransaction<M extends Mode>(
  engine: Engine<M>,
  options: TransactionOptions,
  outer?: TxFrame,
): Out<M, Transaction<M>> {
  const flow = (function* (): Flow<Transaction<M>> {
    return new Transaction(engine, yield* beginFlow(engine.dialect, options));
  })();
  return engine.run(flow, outer);
}
