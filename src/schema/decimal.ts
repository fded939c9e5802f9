/**
 * Exact decimals as strings: rounding to a column's scale the way databases do (half away from
 * zero), without going through floating point, so a saved value reads back as it was stored.
 * @module
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A decimal taken apart: sign, all its digits, and where the point falls among them. */
interface Digits {
  readonly negative: boolean;
  readonly digits: string;
  readonly point: number;
}

function parse(value: string | number): Digits | undefined {
  const match = DECIMAL.exec(String(value).trim());
  if (!match || (match[2] === "" && !match[3])) return undefined;
  const exponent = Number(match[4] ?? 0);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
  return {
    negative: match[1] === "-",
    digits: match[2] + (match[3] ?? ""),
    point: match[2].length + exponent,
  };
}

/** `digits` plus one in its last place, and whether it grew a digit ("99" -> "100"). */
function increment(digits: string): string {
  const chars = digits.split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== "9") {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
    chars[i] = "0";
  }
  return "1" + chars.join("");
}

/**
 * `value` rounded to `scale` digits after the point (half away from zero) in plain notation, or
 * undefined when it is not a decimal number.
 *
 * @example
 * ```ts
 * formatDecimal("1.5", 2); // "1.50"
 * formatDecimal("-1.005", 2); // "-1.01"
 * formatDecimal("1e3", 0); // "1000"
 * ```
 */
export function formatDecimal(value: string | number, scale: number): string | undefined {
  const parsed = parse(value);
  if (!parsed) return undefined;
  let { digits, point } = parsed;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  const kept = point + scale;
  digits = digits.padEnd(kept + 1, "0");
  let result = digits.slice(0, kept);
  if (digits.charCodeAt(kept) >= 53 /* "5" */) {
    const bigger = increment(result);
    if (bigger.length > result.length) point++;
    result = bigger;
  }
  const whole = result.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  const fraction = result.slice(point);
  const zero = /^0*$/.test(whole + fraction);
  return `${parsed.negative && !zero ? "-" : ""}${whole}${scale > 0 ? "." + fraction : ""}`;
}

/**
 * The digits before the point of a decimal (after rounding to `scale`), to check a precision.
 *
 * @example
 * ```ts
 * integerDigits("123.456", 2); // 3
 * integerDigits("9.999", 2); // 2 (rounds to 10.00)
 * ```
 */
export function integerDigits(value: string | number, scale: number): number {
  const formatted = formatDecimal(value, scale);
  if (formatted === undefined) return 0;
  const whole = formatted.replace(/^-/, "").split(".")[0];
  return whole === "0" ? 0 : whole.length;
}
