/**
 * An IndexedDB store for sql.js databases in browsers: one record holds the whole database file.
 * Types are declared structurally, so the module type-checks without the DOM library.
 * @module
 */
import type { PersistenceStore } from "./persistence.ts";

interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbTransaction {
  objectStore(
    name: string,
  ): { get(key: string): IdbRequest<unknown>; put(value: unknown, key: string): unknown };
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
interface IdbDatabase {
  transaction(
    store: string,
    mode: "readonly" | "readwrite",
    options?: { durability: string },
  ): IdbTransaction;
  createObjectStore(name: string): unknown;
  close(): void;
}
interface IdbFactory {
  open(name: string, version: number): IdbRequest<IdbDatabase> & { onupgradeneeded: (() => void) | null };
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
  #db: Promise<IdbDatabase> | undefined;

  /** A store in the IndexedDB database `name` (default "activerecord"), record `key` (default "main"). */
  constructor(name = "activerecord", key = "main") {
    this.#name = name;
    this.#key = key;
  }

  #open(): Promise<IdbDatabase> {
    const factory = (globalThis as { indexedDB?: IdbFactory }).indexedDB;
    if (!factory) return Promise.reject(new Error("IndexedDB is not available here"));
    return this.#db ??= new Promise((resolve, reject) => {
      const request = factory.open(this.#name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async load(): Promise<Uint8Array | undefined> {
    const db = await this.#open();
    return await new Promise((resolve, reject) => {
      const request = db.transaction(STORE, "readonly").objectStore(STORE).get(this.#key);
      request.onsuccess = () => resolve(request.result instanceof Uint8Array ? request.result : undefined);
      request.onerror = () => reject(request.error);
    });
  }

  async save(bytes: Uint8Array): Promise<void> {
    const db = await this.#open();
    await new Promise<void>((resolve, reject) => {
      // "strict": the save completes only once the data is on disk, so a crash after it keeps it.
      const tx = db.transaction(STORE, "readwrite", { durability: "strict" });
      tx.objectStore(STORE).put(bytes, this.#key);
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }
}
