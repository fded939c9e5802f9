/**
 * URL schemes → backends. Backend modules register their schemes when imported
 * (`import "@rho/activerecord/sqlite"`), so the core never imports a driver.
 * @module
 */
import type { Backend } from "../backend.ts";
import { ConfigurationError } from "../errors.ts";

/** Makes a backend from the part of the URL after `scheme:` (or the whole URL, for network schemes). */
export type BackendFactory = (url: string) => Backend;

const factories = new Map<string, BackendFactory>();

/**
 * Registers `factory` for URLs starting with `scheme:`. Called by backend modules.
 *
 * @example
 * ```ts
 * registerBackend("sqlite", (url) => new SQLiteBackend(url.slice("sqlite:".length)));
 * ```
 */
export function registerBackend(scheme: string, factory: BackendFactory): void {
  factories.set(scheme.toLowerCase(), factory);
}

/**
 * `DATABASE_URL` from the environment (Deno, Node and Bun all have `process.env`), for `configure()`
 * without an argument.
 */
export function environmentUrl(): string {
  let url: string | undefined;
  try {
    url = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
      ?.DATABASE_URL;
  } catch (error) {
    throw new ConfigurationError(
      "reading DATABASE_URL needs permission to read the environment (deno: --allow-env)",
      {
        cause: error,
      },
    );
  }
  if (!url) throw new ConfigurationError("no database: pass a backend or a URL, or set DATABASE_URL");
  return url;
}

/** The backend for a URL (undefined: `DATABASE_URL`), or the backend itself when one is given. */
export function resolveBackend(target: Backend | string | undefined): Backend {
  if (target === undefined) target = environmentUrl();
  if (typeof target !== "string") return target;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  if (!scheme) throw new ConfigurationError(`a database URL must start with a scheme such as "sqlite:"`);
  const factory = factories.get(scheme);
  if (!factory) {
    const known = [...factories.keys()].join(", ") || "none";
    throw new ConfigurationError(
      `no backend is registered for "${scheme}:" (registered: ${known}); import its module first, ` +
        `e.g. import "@rho/activerecord/sqlite" (or /postgres, /mysql)`,
    );
  }
  return factory(target);
}
