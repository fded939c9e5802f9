/**
 * How a database's SQL text is split into code and non-code (string literals, quoted names,
 * comments). Each dialect supplies its rules, so that `?` placeholders and `;` separators are found
 * only where that database would see them.
 * @module
 */

/**
 * The lexical rules of one SQL flavour, as far as finding code outside literals needs them.
 *
 * @example
 * ```ts
 * const postgresLike: LexRules = { ...STANDARD_SQL, escapeStrings: true, dollarQuotes: true, nestedComments: true };
 * ```
 */
export interface LexRules {
  /** Characters that open quoted text or names, each closed by itself (a doubled one is escaped). */
  readonly quotes: string;
  /** A backslash escapes the next character inside quotes (MySQL's default). */
  readonly backslashEscapes: boolean;
  /** `E'...'` strings take backslash escapes (PostgreSQL). */
  readonly escapeStrings: boolean;
  /** `$tag$ ... $tag$` strings (PostgreSQL). */
  readonly dollarQuotes: boolean;
  /** Block comments nest (PostgreSQL). */
  readonly nestedComments: boolean;
  /** `#` starts a comment to the end of the line (MySQL). */
  readonly hashComments: boolean;
  /** `[name]` is a quoted name (SQLite). */
  readonly bracketNames: boolean;
}

/**
 * Standard SQL: `'text'` and `"names"` with doubled quotes, `--` and `/* *\/` comments.
 *
 * @example
 * ```ts
 * const rules: LexRules = { ...STANDARD_SQL, bracketNames: true };
 * ```
 */
export const STANDARD_SQL: LexRules = {
  quotes: `'"`,
  backslashEscapes: false,
  escapeStrings: false,
  dollarQuotes: false,
  nestedComments: false,
  hashComments: false,
  bracketNames: false,
};

const WORD = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * Calls `visit` with the index of each character of `text` that is code (outside literals, quoted
 * names and comments). `visit` may return the index to continue from, to consume more than one
 * character.
 */
export function scanCode(text: string, rules: LexRules, visit: (index: number) => number | void): void {
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const wordBefore = i > 0 && WORD.test(text[i - 1]);
    if (rules.quotes.includes(ch)) {
      i = skipQuoted(text, i, ch, rules.backslashEscapes && ch !== "`"); // names take no escapes
    } else if (rules.escapeStrings && (ch === "E" || ch === "e") && text[i + 1] === "'" && !wordBefore) {
      i = skipQuoted(text, i + 1, "'", true);
    } else if (rules.dollarQuotes && ch === "$" && !wordBefore) {
      i = skipDollarQuoted(text, i, visit);
    } else if (rules.bracketNames && ch === "[") {
      const end = text.indexOf("]", i + 1);
      i = end < 0 ? text.length : end + 1;
    } else if ((ch === "-" && text[i + 1] === "-") || (rules.hashComments && ch === "#")) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      i = skipBlockComment(text, i, rules.nestedComments);
    } else {
      const next = visit(i);
      i = typeof next === "number" ? next : i + 1;
    }
  }
}

/** Index just past the quoted part that opens at `open` (a doubled quote is an escaped quote). */
function skipQuoted(text: string, open: number, quote: string, backslash: boolean): number {
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === quote) {
      if (text[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i += backslash && ch === "\\" ? 2 : 1;
    }
  }
  return i;
}

/** Past `$tag$ ... $tag$`; a `$` that opens no tag (`$1`) is code. */
function skipDollarQuoted(text: string, open: number, visit: (index: number) => number | void): number {
  DOLLAR_TAG.lastIndex = open;
  const match = DOLLAR_TAG.exec(text);
  if (!match) {
    const next = visit(open);
    return typeof next === "number" ? next : open + 1;
  }
  const tag = match[0];
  const end = text.indexOf(tag, open + tag.length);
  return end < 0 ? text.length : end + tag.length;
}

function skipBlockComment(text: string, open: number, nested: boolean): number {
  let depth = 1;
  let i = open + 2;
  while (i < text.length) {
    if (text[i] === "*" && text[i + 1] === "/") {
      i += 2;
      if (--depth === 0) return i;
    } else if (nested && text[i] === "/" && text[i + 1] === "*") {
      depth++;
      i += 2;
    } else {
      i++;
    }
  }
  return i;
}
