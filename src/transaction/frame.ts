/**
 * One open transaction or savepoint level, as the engines and flows see it.
 * @module
 */
import type { TransactionOptions } from "../dialect/dialect.ts";

/** The state of a transaction level. */
export type FrameState = "active" | "committed" | "rolled back";

/** An open transaction (the root) or a savepoint inside one. */
export class TxFrame {
  /** Where the level stands. */
  state: FrameState = "active";
  #savepoints = 0;

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

  /** A savepoint name unique within the root transaction. */
  nextSavepointName(): string {
    return `ar_savepoint_${++this.root.#savepoints}`;
  }
}
