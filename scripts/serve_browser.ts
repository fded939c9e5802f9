/**
 * Builds and serves the browser example on localhost: `deno task browser-demo` (PORT, default 8000).
 *
 * @module
 */
import { buildBrowserExample } from "./build_browser.ts";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  wasm: "application/wasm",
  png: "image/png",
};

/** Serves `examples/browser/` on `port` (0: any free port); returns the server. */
export function serveBrowserExample(port: number, onListen?: (url: string) => void): Deno.HttpServer {
  const root = new URL("../examples/browser/", import.meta.url);
  return Deno.serve({
    port,
    hostname: "127.0.0.1",
    onListen: ({ port }) => onListen?.(`http://127.0.0.1:${port}/`),
  }, async (request) => {
    const path = new URL(request.url).pathname;
    const file = path === "/" ? "index.html" : path.slice(1);
    if (file.includes("..")) return new Response("not found", { status: 404 });
    try {
      const body = await Deno.readFile(new URL(file, root));
      return new Response(body, {
        headers: { "content-type": TYPES[file.split(".").pop()!] ?? "text/plain" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

if (import.meta.main) {
  await buildBrowserExample();
  serveBrowserExample(Number(Deno.env.get("PORT") ?? 8000), (url) => console.log(`todo demo on ${url}`));
}
