/**
 * Keeping parameter values out of what errors print. Drivers quote rejected values in messages
 * (`invalid input syntax for type integer: "..."`) and details (`Failing row contains (...)`); the
 * parameters of the failed statement are at hand, so their quoted forms are cut out of the message,
 * and fields that carry row data are hidden from printing (still readable on purpose).
 * @module
 */

/** Driver error fields that carry values: hidden from `console.log`, still readable. */
const VALUE_FIELDS = ["detail", "where", "parameters", "args", "query", "sql"];

/** `message` without the quoted forms of any parameter value. */
export function withoutParams(message: string, params: readonly unknown[]): string {
  const texts = params.map(textOf).filter((t): t is string => t !== undefined && t !== "")
    .sort((a, b) => b.length - a.length); // longest first: a value may contain a shorter one
  let safe = message;
  for (const text of texts) {
    for (const quoted of [`"${text}"`, `'${text}'`, `(${text})`, `"${text.replaceAll('"', '""')}"`]) {
      safe = safe.replaceAll(quoted, "(value)");
    }
  }
  return safe;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return value.toISOString();
  return value === null || value === undefined || typeof value === "object" ? undefined : String(value);
}

/**
 * Makes a driver error safe to print, in place: its message (and the message inside its stack)
 * loses the parameters' values, and fields that hold row data stop being enumerable. The original
 * message stays readable as `unredactedMessage`. `strip` removes what the dialect knows to be
 * values (quoted parts of data errors). Returns the safe message.
 */
export function redactDriverError(
  error: unknown,
  params: readonly unknown[],
  strip: (message: string) => string = (message) => message,
): string {
  if (!(error instanceof Error)) return strip(withoutParams(String(error), params));
  const original = error.message;
  const safe = strip(withoutParams(original, params));
  if (safe !== original) {
    Object.defineProperty(error, "unredactedMessage", {
      value: original,
      enumerable: false,
      configurable: true,
    });
    error.message = safe;
    const stack = Object.getOwnPropertyDescriptor(error, "stack");
    if (typeof error.stack === "string" && (!stack || stack.writable || stack.configurable)) {
      Object.defineProperty(error, "stack", {
        value: error.stack.replace(original, safe),
        configurable: true,
      });
    }
    const withSqlMessage = error as { sqlMessage?: unknown };
    if (typeof withSqlMessage.sqlMessage === "string") {
      withSqlMessage.sqlMessage = strip(withoutParams(withSqlMessage.sqlMessage, params));
    }
  }
  for (const field of VALUE_FIELDS) {
    const descriptor = Object.getOwnPropertyDescriptor(error, field);
    if (descriptor?.enumerable && descriptor.configurable !== false) {
      Object.defineProperty(error, field, { ...descriptor, enumerable: false });
    }
  }
  return safe;
}
