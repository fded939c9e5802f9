/**
 * An open transaction level as the engines see it. The transaction layer makes them (`TxFrame`);
 * the engines only route statements to a level's connection and check that it is still open.
 * @module
 */

/** One open transaction or savepoint level. */
export interface Frame {
  /** The connection the transaction holds (the engine's own type). */
  readonly session: unknown;
  /** The enclosing level, for savepoints. */
  readonly parent: Frame | undefined;
  /** True while this level and every enclosing one are open. */
  readonly isActive: boolean;
}
