/**
 * How postgres.js reads and writes values for this backend: exact int8, dates as text, JSON as text
 * (the dialect decodes it), timestamps without zone as UTC, and strings always sent as they are.
 * @module
 */
import { Buffer } from "node:buffer";
import { isoString } from "../../src/dialect/values.ts";

function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/**
 * Serializers by the parameter type the server describes. A string always goes as it is, for the
 * server to parse or refuse: postgres.js's own serializers would rewrite it (`"true"` bound to a
 * boolean became false, `"not a date 5"` became 2005-01-01) or throw mid-message and wedge the
 * connection (an invalid date string).
 */
function asText(serialize: (x: never) => string): (x: unknown) => string {
  return (x) => typeof x === "string" ? x : serialize(x as never);
}

const isoText = (x: Date | number) => x instanceof Date ? isoString(x) : String(x);

/** Parsers and serializers for types whose postgres.js defaults would lose or rewrite information. */
export const types = {
  // int8: a number while it is a safe integer (no BigInt allocation per value), a bigint beyond
  bigint: { to: 20, from: [20], serialize: asText((x: bigint) => x.toString()), parse: parseInt8 },
  dateOnly: { to: 1082, from: [1082], serialize: asText(isoText), parse: (x: string) => x },
  // json/jsonb as text: the dialect parses it, so a JSON string value ("hello") is not mistaken for text
  jsonText: { to: 3802, from: [114, 3802], serialize: asText(String), parse: (x: string) => x },
  // timestamp without time zone: read as UTC, never as the machine's local time
  timestamp: { to: 1114, from: [1114], serialize: asText(isoText), parse: (x: string) => new Date(x + "Z") },
  timestamptz: { to: 1184, from: [1184], serialize: asText(isoText), parse: (x: string) => new Date(x) },
  // booleans: true/false as t/f; anything else as its text (1 -> "1", which the server reads as true)
  boolean: {
    to: 16,
    from: [16],
    serialize: asText((x: unknown) => x === true ? "t" : x === false ? "f" : String(x)),
    parse: (x: string) => x === "t",
  },
  bytea: { to: 17, serialize: asText((x: Uint8Array) => "\\x" + Buffer.from(x).toString("hex")) },
};
