/**
 * Builds one statement's text and parameter list for a dialect. Compilers write into it; values go
 * to `params` (encoded by the dialect), never into the text.
 * @module
 */
import type { ColumnKind, SqlFlavor } from "./flavor.ts";
import { Identifier, Param, RawSql, type SqlFragment } from "./fragment.ts";
import { placeholderPieces } from "./placeholders.ts";

/** A compiled statement: text in the dialect's placeholder style plus its parameters. */
export interface CompiledQuery {
  /** SQL text. */
  readonly text: string;
  /** Parameters, encoded for the driver. */
  readonly params: unknown[];
}

/** Accumulates SQL text and parameters for a flavour `F` (a dialect). */
export class SqlWriter<F extends SqlFlavor = SqlFlavor> {
  /** The text so far. */
  text = "";
  /** The parameters so far. */
  readonly params: unknown[] = [];

  readonly #offset: number;

  /** Starts an empty statement for `dialect`; `offset` parameters come before this text's (numbered after them). */
  constructor(readonly dialect: F, offset = 0) {
    this.#offset = offset;
  }

  /** Appends literal SQL text. */
  raw(text: string): this {
    this.text += text;
    return this;
  }

  /** Appends a placeholder bound to `value`, encoded for a column of `kind` when known. */
  param(value: unknown, kind?: ColumnKind): this {
    const position = this.#offset + this.params.length + 1;
    this.params.push(this.dialect.encodeParam(value, kind, position));
    this.text += this.dialect.placeholder(position);
    return this;
  }

  /** Appends a quoted identifier, `a.b` quoted part by part. */
  id(...path: readonly string[]): this {
    for (let i = 0; i < path.length; i++) {
      if (i > 0) this.text += ".";
      this.text += path[i] === "*" ? "*" : this.dialect.quote(path[i]);
    }
    return this;
  }

  /** Appends a fragment: its text, parameters and identifiers. */
  fragment(fragment: SqlFragment): this {
    for (const part of fragment.parts) {
      if (typeof part === "string") this.text += part;
      else if (part instanceof Param) this.param(part.value, part.kind);
      else if (part instanceof Identifier) this.id(...part.path);
      else if (part instanceof RawSql) this.#raw(part);
      else this.fragment(part);
    }
    return this;
  }

  #raw(raw: RawSql): void {
    const pieces = placeholderPieces(raw, this.dialect.lexRules);
    this.text += pieces[0];
    for (let i = 0; i < raw.params.length; i++) this.param(raw.params[i]).text += pieces[i + 1];
  }

  /** Appends `items` separated by `separator`, each written by `write`. */
  list<T>(items: readonly T[], write: (item: T) => void, separator = ", "): this {
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.text += separator;
      write(items[i]);
    }
    return this;
  }

  /** The finished statement. */
  done(): CompiledQuery {
    return { text: this.text, params: this.params };
  }
}

/** Compiles a lone fragment for `dialect`. */
export function compileFragment(fragment: SqlFragment, dialect: SqlFlavor): CompiledQuery {
  return new SqlWriter(dialect).fragment(fragment).done();
}
