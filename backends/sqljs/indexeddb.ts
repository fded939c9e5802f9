/**
 * An IndexedDB store for sql.js databases in browsers: one record holds the whole database file.
 * Types are declared structurally, so the module type-checks without the DOM library.
 * @module
 */
import type { PersistenceStore } from "./persistence.ts";

/** The part of an IndexedDB request this store uses. */
export interface IdbRequest<T> {
  /** The value, once it succeeded. */
  result: T;
  /** The failure, once it failed. */
  error: unknown;
  /** Called when it succeeds. */
  onsuccess: (() => void) | null;
  /** Called when it fails. */
  onerror: (() => void) | null;
}

/** The part of an IndexedDB transaction this store uses. */
export interface IdbTransaction {
  /** An object store of the transaction. */
  objectStore(
    name: string,
  ): { get(key: string): IdbRequest<unknown>; put(value: unknown, key: string): unknown };
  /** Called when it committed. */
  oncomplete: (() => void) | null;
  /** Called when it failed. */
  onerror: (() => void) | null;
  /** Called when it was aborted. */
  onabort: (() => void) | null;
  /** Why it failed. */
  error: unknown;
}

/** The part of an IndexedDB database this store uses. */
export interface IdbDatabase {
  /** Starts a transaction on `store`. */
  transaction(
    store: string,
    mode: "readonly" | "readwrite",
    options?: { durability: string },
  ): IdbTransaction;
  /** Creates an object store (during an upgrade). */
  createObjectStore(name: string): unknown;
  /** Closes the connection. */
  close(): void;
  /** Called when the browser closed the connection. */
  onclose: (() => void) | null;
  /** Called when another connection wants to upgrade the database. */
  onversionchange: (() => void) | null;
}

/** The part of the `indexedDB` factory this store uses (structural, so no DOM types are needed). */
export interface IdbFactory {
  /** Opens (or creates) a database. */
  open(name: string, version: number): IdbRequest<IdbDatabase> & { onupgradeneeded: (() => void) | null };
}

/** Options of `IndexedDbStore`. */
export interface IndexedDbStoreOptions {
  /** The IndexedDB factory (default: `globalThis.indexedDB`). */
  readonly indexedDB?: IdbFactory;
}

const STORE = "databases";

/**
 * Keeps a database in IndexedDB under `key` in the IndexedDB database `name`.
 *
 * @example
 * ```ts
 * import { IndexedDbStore, SqlJsBackend } from "@rho/activerecord/sqljs";
 * const backend = await SqlJsBackend.open({ store: new IndexedDbStore("todo-app") });
 * ```
 */
export class IndexedDbStore implements PersistenceStore {
  readonly #name: string;
  readonly #key: string;
  readonly #factory: IdbFactory | undefined;
  #db: Promise<IdbDatabase> | undefined;

  /** A store in the IndexedDB database `name` (default "activerecord"), record `key` (default "main"). */
  constructor(name = "activerecord", key = "main", options: IndexedDbStoreOptions = {}) {
    this.#name = name;
    this.#key = key;
    this.#factory = options.indexedDB;
  }

  /**
   * The open database. A failed open is not kept, and a connection the browser closes (storage
   * cleared, another tab upgrading) is dropped: the next call opens again.
   */
  #open(): Promise<IdbDatabase> {
    const factory = this.#factory ?? (globalThis as { indexedDB?: IdbFactory }).indexedDB;
    if (!factory) return Promise.reject(new Error("IndexedDB is not available here"));
    const opening: Promise<IdbDatabase> = this.#db ??= new Promise<IdbDatabase>((resolve, reject) => {
      const request = factory.open(this.#name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }).then((db) => {
      const forget = () => {
        if (this.#db === opening) this.#db = undefined;
      };
      db.onclose = forget;
      db.onversionchange = () => {
        db.close();
        forget();
      };
      return db;
    }, (error) => {
      if (this.#db === opening) this.#db = undefined;
      throw error;
    });
    return opening;
  }

  /** Runs `use` on the open database; once more on a fresh connection if the old one was closed. */
  async #withDb<T>(use: (db: IdbDatabase) => Promise<T>): Promise<T> {
    const db = await this.#open();
    try {
      return await use(db);
    } catch (error) {
      if ((error as { name?: unknown })?.name !== "InvalidStateError") throw error;
      this.#db = undefined; // closed under us: open again
      return await use(await this.#open());
    }
  }

  load(): Promise<Uint8Array | undefined> {
    return this.#withDb((db) =>
      new Promise((resolve, reject) => {
        const request = db.transaction(STORE, "readonly").objectStore(STORE).get(this.#key);
        request.onsuccess = () => resolve(request.result instanceof Uint8Array ? request.result : undefined);
        request.onerror = () => reject(request.error);
      })
    );
  }

  save(bytes: Uint8Array): Promise<void> {
    return this.#withDb((db) =>
      new Promise<void>((resolve, reject) => {
        // "strict": the save completes only once the data is on disk, so a crash after it keeps it.
        const tx = db.transaction(STORE, "readwrite", { durability: "strict" });
        tx.objectStore(STORE).put(bytes, this.#key);
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error);
      })
    );
  }
}
