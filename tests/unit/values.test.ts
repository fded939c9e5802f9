import assert from "node:assert/strict";
import { formatDecimal, integerDigits } from "../../src/schema/decimal.ts";
import { normalizeTime } from "../../src/schema/normalize.ts";
import { isoString } from "../../src/dialect/values.ts";

Deno.test("decimals round half away from zero without floating point", () => {
  const cases: [string | number, number, string | undefined][] = [
    ["1.5", 2, "1.50"],
    ["1.005", 2, "1.01"],
    ["-1.005", 2, "-1.01"],
    ["1.004999", 2, "1.00"],
    ["9.995", 2, "10.00"],
    ["-0.001", 2, "0.00"],
    [".5", 0, "1"],
    ["0.49", 0, "0"],
    ["+12", 1, "12.0"],
    ["1e3", 0, "1000"],
    ["1.25e-1", 2, "0.13"],
    ["000123.4500", 3, "123.450"],
    ["12345678901234567890.123456789", 4, "12345678901234567890.1235"],
    [0.1 + 0.2, 2, "0.30"],
    ["abc", 2, undefined],
    ["1.2.3", 2, undefined],
    ["", 2, undefined],
    [".", 2, undefined],
  ];
  for (const [value, scale, expected] of cases) {
    assert.equal(formatDecimal(value, scale), expected, `${value} at scale ${scale}`);
  }
  assert.equal(integerDigits("9.995", 2), 2);
  assert.equal(integerDigits("0.5", 2), 0);
  assert.equal(integerDigits("-123.4", 1), 3);
});

Deno.test("times of day are normalized to HH:MM:SS with a trimmed fraction", () => {
  assert.equal(normalizeTime("08:30"), "08:30:00");
  assert.equal(normalizeTime("23:59:59.500000"), "23:59:59.5");
  assert.equal(normalizeTime("00:00:00.000"), "00:00:00");
  for (const bad of ["24:00:00", "8:30", "08:60", "08:30:00.1234567", 830, null]) {
    assert.equal(normalizeTime(bad), undefined, String(bad));
  }
});

Deno.test("isoString writes what toISOString writes, for every kind of date", () => {
  const edges = [
    "1000-01-01T00:00:00.000Z",
    "0999-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "2024-02-29T12:05:09.007Z",
    "2000-10-10T10:10:10.010Z",
    "+010000-01-01T00:00:00.000Z",
    "-000001-01-01T00:00:00.000Z",
  ].map((text) => new Date(text));
  // Spread over ±100,000 years and over one day, to the millisecond.
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const spread = Array.from({ length: 20_000 }, () => new Date(Math.round((random() - 0.5) * 6.4e15)));
  const day = Array.from(
    { length: 20_000 },
    () => new Date(1_700_000_000_000 + Math.round(random() * 86_400_000)),
  );
  for (const date of [...edges, ...spread, ...day]) assert.equal(isoString(date), date.toISOString());
  assert.throws(() => isoString(new Date(NaN)), RangeError, "an invalid date throws as toISOString does");
});
