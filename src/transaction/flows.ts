/**
 * Transactions as flows, written once for both engines: begin (or savepoint when nested), run the
 * callback, commit, or roll back and rethrow.
 * @module
 */
import type { DriverQuery } from "../backend.ts";
import type { Dialect, TransactionOptions } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";
import { execute, type Flow } from "../run/request.ts";
import { assertPlainName } from "../sql/identifier.ts";
import { TxFrame } from "./frame.ts";

function statement(text: string): DriverQuery {
  return { text, params: [], returnsRows: false };
}

/** Opens a transaction, or a savepoint inside the caller's current one. */
export function* beginFlow(dialect: Dialect, options: TransactionOptions): Flow<TxFrame> {
  const outer: TxFrame | undefined = yield { kind: "current" };
  if (outer) return yield* openSavepoint(dialect, outer, options);
  const statements = dialect.beginStatements(options); // rejects options before a connection is taken
  const session: unknown = yield { kind: "reserve" };
  const frame = new TxFrame(session, undefined, undefined, options);
  try {
    for (const text of statements) yield* execute(statement(text), frame);
  } catch (error) {
    yield* quietly(dialect.afterEndStatements(options).concat("ROLLBACK"), frame);
    frame.state = "rolled back";
    yield { kind: "close", frame };
    throw error;
  }
  yield { kind: "open", frame };
  return frame;
}

function* openSavepoint(dialect: Dialect, outer: TxFrame, options: TransactionOptions): Flow<TxFrame> {
  requireActive(outer);
  if (!dialect.supportsSavepoints) {
    throw new TransactionError(`${dialect.name} has no savepoints: nested transactions are not available`);
  }
  if (options.isolation || options.readOnly !== undefined || options.behavior) {
    throw new TransactionError(
      "isolation, readOnly and behavior can only be set on the outermost transaction",
    );
  }
  const name = outer.nextSavepointName();
  yield* execute(statement(dialect.savepoint(name)), outer);
  const frame = new TxFrame(outer.session, outer, name, outer.options);
  outer.child = frame;
  yield { kind: "open", frame };
  return frame;
}

/**
 * Commits (or rolls back) a level. A failed commit rolls back and rethrows. Then the end work of the
 * records written in it runs: a released savepoint hands it to its parent; the outermost commit runs
 * the commit hooks; a rollback restores the records' state and runs the rollback hooks. An error of
 * a hook is thrown once every hook has run (the commit stands).
 */
export function* endFlow(dialect: Dialect, frame: TxFrame, commit: boolean): Flow<void> {
  requireActive(frame);
  let failure: { error: unknown } | undefined;
  try {
    if (frame.savepoint) {
      if (!commit) yield* execute(statement(dialect.rollbackToSavepoint(frame.savepoint)), frame);
      yield* execute(statement(dialect.releaseSavepoint(frame.savepoint)), frame);
    } else {
      yield* execute(statement(commit ? "COMMIT" : "ROLLBACK"), frame);
    }
    frame.state = commit ? "committed" : "rolled back";
  } catch (error) {
    // A failed COMMIT can leave the transaction open (SQLite, deferred keys): make sure it ends.
    if (!frame.savepoint) yield* quietly(["ROLLBACK"], frame);
    frame.state = "rolled back";
    failure = { error };
  } finally {
    if (frame.parent?.child === frame) frame.parent.child = undefined;
    if (!frame.parent) yield* quietly(dialect.afterEndStatements(frame.options), frame);
    yield { kind: "close", frame };
  }
  const hookFailure = yield* settle(frame);
  if (failure) throw failure.error;
  if (hookFailure) throw hookFailure.error;
}

/** Runs or hands over the end work of a level that just ended; the first hook error, if any. */
function* settle(frame: TxFrame): Flow<{ error: unknown } | undefined> {
  const committed = frame.state === "committed";
  if (committed && frame.parent) {
    frame.handOver();
    return undefined;
  }
  const { restorers, hooks } = frame.takeEndWork();
  if (!committed) { for (const restore of restorers) restore(); }
  let failure: { error: unknown } | undefined;
  for (const end of hooks) {
    const hook = committed ? end.commit : end.rollback;
    if (!hook) continue;
    try {
      yield* hook();
    } catch (error) {
      failure ??= { error };
    }
  }
  return failure;
}

/** Runs `callback` inside a transaction: commit on return, roll back and rethrow on error. */
export function transactionFlow<R>(
  dialect: Dialect,
  options: TransactionOptions,
  callback: (frame: TxFrame) => R,
): Flow<R> {
  return atomically(dialect, function* (frame): Flow<R> {
    return yield { kind: "call", frame, fn: () => callback(frame) };
  }, options);
}

/** Runs `fn` as inside the frame's transaction, without opening a level. */
export function* callFlow<R>(frame: TxFrame, fn: () => R): Flow<R> {
  requireActive(frame);
  return yield { kind: "call", frame, fn };
}

/** `SAVEPOINT name` on the frame's connection; returns the name. */
export function* savepointFlow(dialect: Dialect, frame: TxFrame, name?: string): Flow<string> {
  requireOutermostOpen(frame);
  const chosen = name === undefined ? frame.nextSavepointName() : assertPlainName(name, "savepoint name");
  yield* execute(statement(dialect.savepoint(chosen)), frame);
  frame.mark(chosen);
  return chosen;
}

/**
 * `RELEASE SAVEPOINT name` (it and every later savepoint are gone) or `ROLLBACK TO SAVEPOINT name`
 * (it stays; later ones are gone). A name that is not set is a `TransactionError` before any SQL:
 * on PostgreSQL the failed statement would abort the whole transaction.
 */
export function* savepointEndFlow(
  dialect: Dialect,
  frame: TxFrame,
  name: string,
  rollback: boolean,
): Flow<void> {
  requireOutermostOpen(frame);
  assertPlainName(name, "savepoint name");
  if (!frame.hasMark(name)) {
    const set = frame.marks.length ? `set: ${frame.marks.map((m) => `"${m}"`).join(", ")}` : "none is set";
    throw new TransactionError(
      `cannot ${rollback ? "roll back to" : "release"} savepoint "${name}": it is not set in this ` +
        `transaction (never set, already released, or undone by rolling back to an earlier one; ${set})`,
    );
  }
  yield* execute(
    statement(rollback ? dialect.rollbackToSavepoint(name) : dialect.releaseSavepoint(name)),
    frame,
  );
  frame.unmark(name, rollback);
}

/** Throws unless the level is open and no nested transaction is open inside it. */
function requireOutermostOpen(frame: TxFrame): void {
  requireActive(frame);
  if (frame.child?.isActive) {
    throw new TransactionError(
      "a nested transaction is open inside this one: set and end savepoints through its handle",
    );
  }
}

/** Throws unless the level is still open. */
export function requireActive(frame: TxFrame): void {
  if (!frame.isActive) {
    const why = frame.state === "active" ? "its enclosing transaction ended" : `it was ${frame.state}`;
    throw new TransactionError(`the transaction is no longer active: ${why}`);
  }
}

/** Runs clean-up statements, ignoring their failures (the connection may already be gone). */
function* quietly(texts: readonly string[], frame: TxFrame): Flow<void> {
  for (const text of texts) {
    try {
      yield* execute(statement(text), frame);
    } catch {
      // best effort
    }
  }
}

/**
 * Runs `body` all or nothing: in a new transaction, or a savepoint inside the caller's. Statements
 * of `body` that do not go through a callback must name the frame, so they run on its connection.
 * If `body` ended the transaction itself (through its handle), it is left as it is.
 */
export function* atomically<T>(
  dialect: Dialect,
  body: (frame: TxFrame) => Flow<T>,
  options: TransactionOptions = {},
): Flow<T> {
  const frame = yield* beginFlow(dialect, options);
  let result: T;
  try {
    result = yield* body(frame);
  } catch (error) {
    if (frame.isActive) {
      try {
        yield* endFlow(dialect, frame, false);
      } catch {
        // The body's error is the one worth reporting; the rollback's would hide it.
      }
    }
    throw error;
  }
  if (frame.isActive) yield* endFlow(dialect, frame, true);
  return result;
}
