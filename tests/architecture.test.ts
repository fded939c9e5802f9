/**
 * The layering of src/, checked from its imports: no cycles between files, and no import that goes
 * up the layer order (the same order as the README's Architecture section). A file may import from
 * its own layer or any layer below it.
 */
import assert from "node:assert/strict";

/** Bottom to top. A path is matched by its first segment under src/ (a folder, or a root file). */
export const LAYERS: readonly (readonly string[])[] = [
  ["errors.ts", "mode.ts"], // the error tree, Mode / Out<M, T>
  ["sql"], // fragments, the sql tag, identifiers, the writer, lexing and placeholders
  ["schema"], // column builders, defineSchema, field info, pure validators and value forms
  ["dialect"], // per-database SQL flavour: quoting, codecs, capabilities, DDL, error mapping
  ["backend.ts"], // the contracts between the core and the drivers
  ["run"], // the request vocabulary, the engines and their one chokepoint, query events, raw statements
  ["transaction"], // transaction and savepoint flows, frames, handles
  ["relation"], // what to load (trees), eager loading, relation SQL (joins, EXISTS, counts)
  ["query"], // ActiveQuery: state, compile, terminals
  ["model"], // records, the two bases, the save and delete pipelines, relation accessors
  ["migrate"], // schema builder, introspection, the runner
  ["connection"], // connect / connectAsync
];

const SRC = new URL("../src/", import.meta.url);

function layerOf(path: string): number {
  const first = path.split("/")[0];
  const layer = LAYERS.findIndex((names) => names.includes(first));
  if (layer < 0) throw new Error(`src/${path} is in no layer: add it to LAYERS (and to the README)`);
  return layer;
}

/** Every .ts file under src/, as a path relative to src/. */
function sources(dir = SRC, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) files.push(...sources(new URL(`${entry.name}/`, dir), `${path}/`));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']/g;

/** The files under src/ that `path` imports (type-only imports included: they couple as much). */
function importsOf(path: string): string[] {
  const text = Deno.readTextFileSync(new URL(path, SRC));
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (!specifier.startsWith(".")) {
      throw new Error(`src/${path} imports ${specifier}: src/ imports no runtime or driver module`);
    }
    const resolved = new URL(specifier, new URL(path, SRC)).href.slice(SRC.href.length);
    found.push(resolved);
  }
  return found;
}

const graph = new Map(sources().map((path) => [path, importsOf(path)]));

Deno.test("architecture: no file imports from a layer above its own", () => {
  const upward: string[] = [];
  for (const [path, imports] of graph) {
    for (const target of imports) {
      if (layerOf(target) > layerOf(path)) upward.push(`${path} -> ${target}`);
    }
  }
  assert.deepEqual(upward, []);
});

Deno.test("architecture: no import cycles between files", () => {
  const state = new Map<string, "visiting" | "done">();
  const cycles: string[] = [];
  const visit = (path: string, trail: string[]) => {
    if (state.get(path) === "done") return;
    if (state.get(path) === "visiting") {
      cycles.push([...trail.slice(trail.indexOf(path)), path].join(" -> "));
      return;
    }
    state.set(path, "visiting");
    for (const target of graph.get(path) ?? []) visit(target, [...trail, path]);
    state.set(path, "done");
  };
  for (const path of graph.keys()) visit(path, []);
  assert.deepEqual(cycles, []);
});

Deno.test("architecture: every import in src/ resolves to a file", () => {
  const missing = [...graph].flatMap(([path, imports]) =>
    imports.filter((target) => !graph.has(target)).map((target) => `${path} -> ${target}`)
  );
  assert.deepEqual(missing, []);
});
