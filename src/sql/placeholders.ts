/**
 * Raw SQL with `?` placeholders, split into text and parameters. Question marks inside string
 * literals, quoted identifiers and comments are text, not placeholders.
 * @module
 */
import { ArgumentError } from "../errors.ts";
import { Param, SqlFragment, type SqlPart } from "./fragment.ts";

const splitCache = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 500;

/** Splits `text` at its `?` placeholders, skipping quotes and comments. */
export function splitPlaceholders(text: string): readonly string[] {
  const cached = splitCache.get(text);
  if (cached) return cached;
  const pieces = scan(text);
  if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
  splitCache.set(text, pieces);
  return pieces;
}

function scan(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  forEachCodeChar(text, (ch, i) => {
    if (ch === "?") {
      pieces.push(text.slice(start, i));
      start = i + 1;
    }
  });
  pieces.push(text.slice(start));
  return pieces;
}

/** True when `text` holds more than one statement (a `;` followed by more SQL). */
export function isMultiStatement(text: string): boolean {
  let sawSemicolon = false;
  let multiple = false;
  forEachCodeChar(text, (ch) => {
    if (ch === ";") sawSemicolon = true;
    else if (sawSemicolon && !/\s/.test(ch)) multiple = true;
  });
  return multiple;
}

/** Calls `visit` for every character of `text` outside string literals, quoted names and comments. */
function forEachCodeChar(text: string, visit: (ch: string, index: number) => void): void {
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"' || ch === "`") {
      i = skipQuoted(text, i, ch);
    } else if (ch === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      visit(ch, i++);
    }
  }
}

/** Index just past the literal that opens at `open` (a doubled quote is an escaped quote). */
function skipQuoted(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else if (text[i] === "\\" && quote === "'") {
      i += 2; // MySQL-style backslash escape; harmless elsewhere since it only skips a character
    } else {
      i++;
    }
  }
  return i;
}

/**
 * Turns raw SQL with `?` placeholders into a fragment, checking that the count of placeholders
 * matches the count of parameters before anything runs.
 */
export function rawSql(text: string, params: readonly unknown[] = []): SqlFragment {
  const pieces = splitPlaceholders(text);
  if (pieces.length - 1 !== params.length) {
    throw new ArgumentError(
      `SQL has ${pieces.length - 1} placeholder(s) but ${params.length} parameter(s) were given: ${text}`,
    );
  }
  if (params.length === 0) return new SqlFragment([text]);
  const parts: SqlPart[] = [pieces[0]];
  for (let i = 0; i < params.length; i++) parts.push(new Param(params[i]), pieces[i + 1]);
  return new SqlFragment(parts);
}
