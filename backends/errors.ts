/**
 * What the server backends share about driver errors: which codes mean the connection is gone
 * (Node's socket codes and the drivers' own), and the message of anything thrown.
 * @module
 */

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ERR_SOCKET_CLOSED",
]);

/** True when `error` says the connection was refused, reset, timed out or cut (`extra`: the driver's own codes). */
export function isNetworkFailure(error: unknown, extra: ReadonlySet<string>): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (NETWORK_CODES.has(code) || extra.has(code));
}

/** The message of anything thrown (sql.js throws strings). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
