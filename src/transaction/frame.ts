/**
 * One open transaction or savepoint level, as the engines and flows see it.
 * @module
 */
import type { TransactionOptions } from "../dialect/dialect.ts";
import type { Frame } from "../run/frame.ts";
import type { Flow } from "../run/request.ts";

/** What a record's writes run when their transaction ends: hooks such as `afterCommit`, as flows. */
export interface EndHooks {
  /** After the outermost level commits. */
  readonly commit?: () => Flow<void>;
  /** After the level that holds the writes rolls back. */
  readonly rollback?: () => Flow<void>;
}

/** The state of a transaction level. */
export type FrameState = "active" | "committed" | "rolled back";

/** An open transaction (the root) or a savepoint inside one. */
export class TxFrame implements Frame {
  /** Where the level stands. */
  state: FrameState = "active";
  /** The savepoint level open inside this one, if any. */
  child: TxFrame | undefined;
  #savepoints = 0;
  /** Savepoints set on this level by name (explicit `savepoint()`), oldest first. */
  readonly #marks: string[] = [];
  /** Per record written in this level: how to put its state back if the level rolls back. */
  readonly #restorers = new Map<object, () => void>();
  /** Per record written in this level: its end hooks, run once. */
  readonly #hooks = new Map<object, EndHooks>();

  /**
   * @param session the connection the transaction holds (the engine's own type)
   * @param parent the enclosing level, for savepoints
   * @param savepoint the savepoint's name, for nested levels
   * @param options the options the root was opened with
   */
  constructor(
    readonly session: unknown,
    readonly parent: TxFrame | undefined,
    readonly savepoint: string | undefined,
    readonly options: TransactionOptions,
  ) {}

  /** True while this level and every enclosing one are open. */
  get isActive(): boolean {
    return this.state === "active" && (this.parent === undefined || this.parent.isActive);
  }

  /** The outermost level. */
  get root(): TxFrame {
    return this.parent ? this.parent.root : this;
  }

  /** The savepoints set on this level by name that are still set, oldest first. */
  get marks(): readonly string[] {
    return this.#marks;
  }

  /** Records that savepoint `name` was set on this level. */
  mark(name: string): void {
    this.#marks.push(name);
  }

  /**
   * Records that savepoint `name` was released (it and every later one are gone) or rolled back to
   * (it stays; later ones are gone). Returns false when no such savepoint is set.
   */
  unmark(name: string, rollback: boolean): boolean {
    const at = this.#marks.lastIndexOf(name);
    if (at < 0) return false;
    this.#marks.length = rollback ? at + 1 : at;
    return true;
  }

  /** True when savepoint `name` is set on this level. */
  hasMark(name: string): boolean {
    return this.#marks.lastIndexOf(name) >= 0;
  }

  /** Keeps how to restore `key`'s state on rollback, unless this level keeps one already (the oldest wins). */
  onRollbackRestore(key: object, restore: () => void): void {
    if (!this.#restorers.has(key)) this.#restorers.set(key, restore);
  }

  /** Keeps `key`'s end hooks, once per key. */
  onEnd(key: object, hooks: EndHooks): void {
    if (!this.#hooks.has(key)) this.#hooks.set(key, hooks);
  }

  /** A released savepoint: its parent takes what this level kept (the parent's own entries win). */
  handOver(): void {
    const parent = this.parent!;
    for (const [key, restore] of this.#restorers) parent.onRollbackRestore(key, restore);
    for (const [key, hooks] of this.#hooks) parent.onEnd(key, hooks);
    this.#restorers.clear();
    this.#hooks.clear();
  }

  /** Takes what this level kept: the restorers and the end hooks, in the order they were kept. */
  takeEndWork(): { restorers: (() => void)[]; hooks: EndHooks[] } {
    const work = { restorers: [...this.#restorers.values()], hooks: [...this.#hooks.values()] };
    this.#restorers.clear();
    this.#hooks.clear();
    return work;
  }

  /** A savepoint name unique within the root transaction. */
  nextSavepointName(): string {
    return `ar_savepoint_${++this.root.#savepoints}`;
  }
}
