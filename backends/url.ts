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

/** Connection settings of a server database, as an object. */
export interface ServerConnection {
  /** Host name. */
  readonly host?: string;
  /** Port. */
  readonly port?: number;
  /** User name. */
  readonly user?: string;
  /** Password. */
  readonly password?: string;
  /** Database name. */
  readonly database: string;
}

/**
 * Checks a backend's target (a URL of one of `schemes`, or settings with a database) and returns the
 * settings; errors name what is wrong and never show the password.
 */
export function serverConnection(
  target: string | ServerConnection,
  schemes: readonly string[],
  what: string,
): ServerConnection {
  if (typeof target === "string") {
    const url = parseServerUrl(target, schemes, what);
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      user: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
      database: decodeURIComponent(url.pathname.slice(1)),
    };
  }
  if (target && typeof target === "object" && typeof target.database === "string") return target;
  throw new ConfigurationError(
    `${what} expects a ${schemes[0]}// URL or { host, port, user, password, database }`,
  );
}

/** A pool size: a positive integer (default 10). */
export function poolSize(max: number | undefined): number {
  const size = max ?? 10;
  if (!Number.isInteger(size) || size < 1) {
    throw new ConfigurationError(`max must be a positive integer, got ${max}`);
  }
  return size;
}

/** A positive number of milliseconds, or undefined when not given. */
export function positiveMs(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new ConfigurationError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}
