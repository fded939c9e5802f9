/** Tests that skip say why, in their name: a skipped test is never silent. */
import type { Target } from "../conformance/targets.ts";

/** A test function for `target`'s server, named `prefix: name`, skipped with its reason when it is down. */
export function testOn(
  target: Target,
  prefix: string,
): (name: string, fn: () => Promise<void>) => void {
  return (name, fn) => {
    if (target.unavailable) {
      Deno.test({ name: `${prefix}: ${name} [skipped: ${target.unavailable}]`, ignore: true, fn() {} });
    } else {
      Deno.test({ name: `${prefix}: ${name}`, fn });
    }
  };
}
