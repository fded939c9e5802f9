/** The core and the sql.js backend bundle for browsers with no node: module and no Deno API. */
import assert from "node:assert/strict";

Deno.test("browser bundle of mod.ts + backends/sqljs.ts has no node: imports and no Deno APIs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const entry = `${dir}/entry.ts`;
    const root = new URL("../", import.meta.url).href;
    await Deno.writeTextFile(
      entry,
      `export * from "${root}mod.ts";\nexport * from "${root}backends/sqljs.ts";\n`,
    );
    const output = `${dir}/bundle.js`;
    const config = new URL("../deno.json", import.meta.url).pathname;
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--config", config, "--platform", "browser", "-o", output, entry],
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const bundle = await Deno.readTextFile(output);
    assert.ok(bundle.length > 50_000, "the bundle holds the library and sql.js");
    const nodeImports = bundle.match(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']node:[^"']+["']/g);
    assert.equal(nodeImports, null, `node: modules referenced: ${nodeImports}`);
    const denoApis = bundle.match(/\bDeno\.(?!customInspect\b)[A-Za-z]+/g);
    assert.equal(denoApis, null, `Deno APIs referenced: ${denoApis}`);
    assert.match(bundle, /sql-wasm-browser\.wasm/, "the browser build of sql.js was chosen");
    assert.match(bundle, /\bActiveRecord\b/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("src/ imports no node: module, no Deno API and no driver", async () => {
  for await (const file of walk(new URL("../src/", import.meta.url))) {
    const text = await Deno.readTextFile(file);
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""); // comments may mention them
    assert.doesNotMatch(
      code,
      /from\s+["'](node:|npm:|postgres|mysql2|sql\.js|better-sqlite3)/,
      file.pathname,
    );
    assert.doesNotMatch(code, /\bDeno\.(?!customInspect\b)[A-Za-z]+/, file.pathname);
  }
});

async function* walk(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* walk(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}
