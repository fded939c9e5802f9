/**
 * The blog's migrations through the command line, on `DATABASE_URL` (default: `examples/blog/blog.db`,
 * a SQLite file).
 *
 *     deno task migrate up | down [--steps N] | status | new NAME
 *
 * @module
 */
import { main } from "../../cli.ts";

const here = new URL(".", import.meta.url).pathname;
Deno.exit(
  await main(["migrate", ...Deno.args], {
    url: `sqlite:${here}blog.db`,
    dir: `${here}migrations`,
    importFrom: "../../../mod.ts",
  }),
);
