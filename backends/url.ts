/**
 * Database URLs: checked before a driver sees them, with messages that never echo the password.
 * @module
 */
import { ConfigurationError } from "../src/errors.ts";

/** The URL with its password replaced by `***`, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}

/**
 * Parses a server URL, checking its scheme, host and port; errors name what is wrong.
 *
 * @example
 * ```ts
 * parseServerUrl("postgres://u:secret@db:5432/app", ["postgres:", "postgresql:"], "PostgreSQL");
 * ```
 */
export function parseServerUrl(url: string, schemes: readonly string[], what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(
      `the ${what} URL is malformed (${redact(url)}); expected ${
        schemes[0]
      }//user:password@host:port/database`,
    );
  }
  if (!schemes.includes(parsed.protocol)) {
    throw new ConfigurationError(
      `a ${what} URL must start with ${schemes.join(" or ")}, got ${parsed.protocol}`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) {
    throw new ConfigurationError(`the ${what} URL ${redact(url)} has no host`);
  }
  if (parsed.pathname.length <= 1) {
    throw new ConfigurationError(`the ${what} URL ${redact(url)} names no database`);
  }
  return parsed;
}
