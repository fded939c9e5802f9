/**
 * Identifiers given as strings (`orderBy("name")`, `select("users.email")`) must be plain names:
 * anything else could smuggle SQL in, so it is rejected before SQL is built.
 * @module
 */
import { ArgumentError } from "../errors.ts";

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUALIFIED = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*|\*))?$/;
const ORDER_TERM = /^\s*([A-Za-z_][A-Za-z0-9_.]*)(?:\s+(asc|desc))?\s*$/i;
const ALIASED = /^\s*([A-Za-z_][A-Za-z0-9_.*]*)(?:\s+as\s+([A-Za-z_][A-Za-z0-9_]*))?\s*$/i;

/** True when `name` is a plain identifier: letters, digits and underscores, not starting with a digit. */
export function isPlainName(name: string): boolean {
  return PLAIN_NAME.test(name);
}

/** Checks a plain name (a table, an alias), throwing `ArgumentError` naming `what` otherwise. */
export function assertPlainName(name: unknown, what: string): string {
  if (typeof name !== "string" || !PLAIN_NAME.test(name)) {
    throw new ArgumentError(`${what} must be a plain identifier, got ${describe(name)}`);
  }
  return name;
}

/** Splits `table.column` (or `column`, or `table.*`) into its parts, rejecting anything else. */
export function parseQualified(name: unknown, what: string): [string] | [string, string] {
  const match = typeof name === "string" ? QUALIFIED.exec(name) : null;
  if (!match) {
    throw new ArgumentError(
      `${what} must be a column name or table.column, got ${describe(name)}; use the sql tag for expressions`,
    );
  }
  return match[2] === undefined ? [match[1]] : [match[1], match[2]];
}

/** Parses `"name"`, `"name desc"` or `"users.name ASC"` into a column and a direction. */
export function parseOrderTerm(term: string): { name: string; descending: boolean } {
  const match = ORDER_TERM.exec(term);
  if (!match) {
    throw new ArgumentError(
      `orderBy expects a column name with an optional asc/desc, got ${
        describe(term)
      }; use the sql tag for expressions`,
    );
  }
  return { name: match[1], descending: match[2]?.toLowerCase() === "desc" };
}

/** Parses `"email"` or `"users.email as contact"` into a column and an optional alias. */
export function parseSelectTerm(term: string): { name: string; alias?: string } {
  const match = ALIASED.exec(term);
  if (!match) {
    throw new ArgumentError(
      `select expects a column name (optionally "as alias"), got ${
        describe(term)
      }; use the sql tag for expressions`,
    );
  }
  return { name: match[1], alias: match[2] };
}

/** A short, value-free description of a rejected argument for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  }
  return value === null ? "null" : typeof value;
}
