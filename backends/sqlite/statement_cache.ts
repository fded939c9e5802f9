/**
 * A bounded cache of prepared statements by SQL text. Eviction is oldest-first, which keeps a hit
 * to a single Map lookup.
 * @module
 */

/** Prepared statements by SQL text, at most `limit` of them. */
export class StatementCache<S> {
  readonly #entries = new Map<string, S>();
  readonly #limit: number;
  readonly #prepare: (text: string) => S;
  readonly #dispose: ((statement: S) => void) | undefined;

  /**
   * @param limit most statements kept
   * @param prepare compiles a statement
   * @param dispose frees an evicted statement, for drivers that need it
   */
  constructor(limit: number, prepare: (text: string) => S, dispose?: (statement: S) => void) {
    this.#limit = Math.max(1, limit);
    this.#prepare = prepare;
    this.#dispose = dispose;
  }

  /** The statement for `text`, prepared on first use. */
  get(text: string): S {
    let statement = this.#entries.get(text);
    if (statement === undefined) {
      statement = this.#prepare(text);
      if (this.#entries.size >= this.#limit) this.#evictOldest();
      this.#entries.set(text, statement);
    }
    return statement;
  }

  #evictOldest(): void {
    const [text, statement] = this.#entries.entries().next().value!;
    this.#entries.delete(text);
    this.#dispose?.(statement);
  }

  /** Frees every statement. */
  clear(): void {
    for (const statement of this.#entries.values()) this.#dispose?.(statement);
    this.#entries.clear();
  }
}
