/**
 * Bundles the browser example (`examples/browser/app.ts`) for browsers and copies sql.js's browser
 * WASM next to it: `deno task browser-build`.
 *
 * @module
 */
import { createRequire } from "node:module";

const root = new URL("../", import.meta.url);
const dist = new URL("examples/browser/dist/", root);

/** Builds into `examples/browser/dist/`; returns that directory. */
export async function buildBrowserExample(): Promise<URL> {
  await Deno.mkdir(dist, { recursive: true });
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--config",
      new URL("deno.json", root).pathname,
      "--platform",
      "browser",
      "--minify",
      "-o",
      new URL("app.js", dist).pathname,
      new URL("examples/browser/app.ts", root).pathname,
    ],
  }).output();
  if (code !== 0) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
  const wasm = createRequire(import.meta.url).resolve("sql.js/dist/sql-wasm-browser.wasm");
  await Deno.copyFile(wasm, new URL("sql-wasm-browser.wasm", dist));
  return dist;
}

if (import.meta.main) {
  const out = await buildBrowserExample();
  console.log(`built ${out.pathname}app.js and sql-wasm-browser.wasm`);
}
