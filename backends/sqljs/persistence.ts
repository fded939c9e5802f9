/**
 * Saving an in-memory sql.js database to a store after each commit, coalesced: a burst of writes
 * (a loop of inserts, many awaits) costs one save, taken once the burst yields to the event loop.
 * A save that fails is reported and kept for the next try; nothing claims a save that did not happen.
 * @module
 */

/**
 * Where a database's bytes are kept between sessions: IndexedDB in browsers, or your own.
 *
 * @example
 * ```ts
 * let saved: Uint8Array | undefined;
 * const memory: PersistenceStore = {
 *   load: () => Promise.resolve(saved),
 *   save: (bytes) => {
 *     saved = bytes;
 *     return Promise.resolve();
 *   },
 * };
 * ```
 */
export interface PersistenceStore {
  /** The saved database, or undefined when none was saved yet. */
  load(): Promise<Uint8Array | undefined>;
  /** Replaces the saved database. */
  save(bytes: Uint8Array): Promise<void>;
}

const BEGIN = /^\s*BEGIN\b/i;
const END = /^\s*(COMMIT|END)\b/i;
const ROLLBACK = /^\s*ROLLBACK\s*(TRANSACTION\s*)?(;|$)/i;
const READ = /^\s*(SELECT|WITH|EXPLAIN|VALUES|SAVEPOINT|RELEASE|ROLLBACK|PRAGMA\s+\w+\s*(;|$))/i;

/** Tracks what statements do to the database and saves it when a change has been committed. */
export class SaveScheduler {
  readonly #store: PersistenceStore;
  readonly #snapshot: () => Uint8Array;
  readonly #onError: (error: unknown) => void;
  #inTransaction = false;
  #transactionEnded: Promise<void> = Promise.resolve();
  #endTransaction: () => void = () => {};
  #dirty = false;
  #scheduled: ReturnType<typeof setTimeout> | undefined;
  #saving: Promise<void> | undefined;
  #lastError: unknown;

  /**
   * @param store where to save
   * @param snapshot the database's bytes now
   * @param onError told about a failed save (the next commit tries again)
   */
  constructor(store: PersistenceStore, snapshot: () => Uint8Array, onError: (error: unknown) => void) {
    this.#store = store;
    this.#snapshot = snapshot;
    this.#onError = onError;
  }

  /** True while a transaction is open (its changes are not saved until it commits). */
  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** Called after each statement that ran. */
  ran(text: string): void {
    if (BEGIN.test(text)) {
      this.#inTransaction = true;
      this.#transactionEnded = new Promise((resolve) => this.#endTransaction = resolve);
    } else if (END.test(text) || ROLLBACK.test(text)) {
      // After a rollback too: changes committed before the transaction may still be unsaved.
      this.#inTransaction = false;
      this.#endTransaction();
      if (this.#dirty) this.#schedule();
    } else if (!READ.test(text)) {
      this.#dirty = true;
      if (!this.#inTransaction) this.#schedule();
    }
  }

  /** Resolves once no transaction is open. */
  async idle(): Promise<void> {
    while (this.#inTransaction) await this.#transactionEnded;
  }

  #schedule(): void {
    this.#scheduled ??= setTimeout(() => {
      this.#scheduled = undefined;
      this.#save();
    }, 0);
  }

  #save(): Promise<void> {
    if (this.#saving) return this.#saving.then(() => this.#dirty ? this.#save() : undefined);
    if (!this.#dirty || this.#inTransaction) return Promise.resolve(); // the commit will schedule it
    const bytes = this.#snapshot();
    this.#dirty = false;
    // A store that throws instead of rejecting has failed to save all the same.
    this.#saving = Promise.resolve().then(() => this.#store.save(bytes)).then(
      () => {
        this.#lastError = undefined;
      },
      (error) => {
        this.#dirty = true; // keep it for the next try
        this.#lastError = error;
        this.#onError(error);
      },
    ).finally(() => {
      this.#saving = undefined;
    });
    return this.#saving;
  }

  /**
   * Saves what is committed and not yet saved; resolves once the store has it, rejects if that
   * save fails. An open transaction is waited for first: do not await this inside one.
   */
  async flush(): Promise<void> {
    if (this.#scheduled !== undefined) {
      clearTimeout(this.#scheduled);
      this.#scheduled = undefined;
    }
    await this.idle();
    await this.#save();
    if (this.#lastError !== undefined) throw this.#lastError;
  }
}
