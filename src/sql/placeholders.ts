/**
 * Raw SQL with `?` placeholders. The text is split where the dialect's lexer sees a `?` in code:
 * question marks inside string literals, quoted names and comments are text, and `??` is a literal
 * `?` (for operators such as PostgreSQL's jsonb `?`, `?|` and `?&`).
 * @module
 */
import { ArgumentError } from "../errors.ts";
import { RawSql, SqlFragment } from "./fragment.ts";
import { type LexRules, scanCode } from "./lexer.ts";

const SPLIT_CACHE_LIMIT = 500;
const splitCaches = new WeakMap<LexRules, Map<string, readonly string[]>>();

/**
 * Splits `text` at its `?` placeholders under `rules`; `??` stands for a literal `?`.
 *
 * @example
 * ```ts
 * splitPlaceholders("a = ? and b ?? 'k'", STANDARD_SQL); // ["a = ", " and b ? 'k'"]
 * ```
 */
export function splitPlaceholders(text: string, rules: LexRules): readonly string[] {
  let cache = splitCaches.get(rules);
  if (!cache) splitCaches.set(rules, cache = new Map());
  const cached = cache.get(text);
  if (cached) return cached;
  const pieces = split(text, rules);
  if (cache.size >= SPLIT_CACHE_LIMIT) cache.clear();
  cache.set(text, pieces);
  return pieces;
}

function split(text: string, rules: LexRules): string[] {
  const pieces: string[] = [];
  let piece = "";
  let start = 0;
  scanCode(text, rules, (i) => {
    if (text[i] !== "?") return;
    piece += text.slice(start, i);
    if (text[i + 1] === "?") {
      piece += "?"; // the escape for a literal question mark
      start = i + 2;
      return i + 2;
    }
    pieces.push(piece);
    piece = "";
    start = i + 1;
  });
  pieces.push(piece + text.slice(start));
  return pieces;
}

/** True when `text` holds more than one statement (a `;` followed by more SQL) under `rules`. */
export function isMultiStatement(text: string, rules: LexRules): boolean {
  let sawSemicolon = false;
  let multiple = false;
  scanCode(text, rules, (i) => {
    const ch = text[i];
    if (ch === ";") sawSemicolon = true;
    else if (sawSemicolon && !/\s/.test(ch)) multiple = true;
  });
  return multiple;
}

/**
 * Raw SQL with `?` placeholders as a fragment. It is split when compiled, by the dialect's rules;
 * a count of placeholders that does not match the parameters is an `ArgumentError` then, before
 * anything is sent.
 */
export function rawSql(text: string, params: readonly unknown[] = []): SqlFragment {
  return new SqlFragment([new RawSql(text, params)]);
}

/** The pieces of `raw` between its placeholders, checked against its parameter count. */
export function placeholderPieces(raw: RawSql, rules: LexRules): readonly string[] {
  const pieces = splitPlaceholders(raw.text, rules);
  if (pieces.length - 1 !== raw.params.length) {
    throw new ArgumentError(
      `SQL has ${
        pieces.length - 1
      } placeholder(s) but ${raw.params.length} parameter(s) were given: ${raw.text}` +
        (raw.text.includes("??") ? "" : " (write ?? for a literal question mark)"),
    );
  }
  return pieces;
}
