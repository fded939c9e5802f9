/**
 * `deno task build:npm`: the npm package in `npm/`, compiled by tsc (dnt is JSR-only): ESM with
 * `.d.ts`, an exports map mirroring deno.json's (the Deno-only CLI aside), drivers as optional peer
 * dependencies. The sources are copied into `npm/.build/` beside a node_modules holding tsc and the
 * drivers' types, so that bare imports resolve as they will for users.
 *
 * Run: `deno task build:npm` (then `deno task test:npm`).
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "npm");
const build = join(out, ".build");
const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));

/** Versions of what the build needs from npm (tsc and the types of the drivers). */
const TOOLCHAIN = {
  "typescript": "7.0.2",
  "@types/node": "^20.19.0",
  "@types/sql.js": "^1.4.9",
  "postgres": "^3.4.7",
  "mysql2": "^3.14.0",
  "sql.js": "^1.13.0",
};

/** Drivers users install beside the package, the one they use (all optional). */
const PEERS = {
  "better-sqlite3": ">=12.0.0",
  "mysql2": "^3.14.0",
  "postgres": "^3.4.7",
  "sql.js": "^1.13.0",
};

/** Entry points that run only on Deno (the CLI reads folders and flags with Deno's API). */
const DENO_ONLY = new Set(["./cli"]);

async function run(command: string, args: string[], cwd: string): Promise<void> {
  const { code } = await new Deno.Command(command, { args, cwd, stdout: "inherit", stderr: "inherit" })
    .output();
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code})`);
}

async function copy(from: string, to: string): Promise<void> {
  const info = await Deno.stat(from);
  if (info.isFile) {
    await Deno.mkdir(join(to, ".."), { recursive: true });
    await Deno.copyFile(from, to);
    return;
  }
  for await (const entry of Deno.readDir(from)) await copy(join(from, entry.name), join(to, entry.name));
}

/** Declarations keep the sources' `./x.ts` specifiers: point them at the compiled `./x.js`. */
async function rewriteDeclarations(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await rewriteDeclarations(path);
    else if (entry.name.endsWith(".d.ts")) {
      const text = await Deno.readTextFile(path);
      await Deno.writeTextFile(
        path,
        text.replace(/((?:from |import\()["']\.{1,2}\/[^"']*)\.ts(["'])/g, "$1.js$2"),
      );
    }
  }
}

/** The exports map: each deno.json export as `{ types, default }` of its compiled file. */
function exportsMap(): Record<string, { types: string; default: string }> {
  const map: Record<string, { types: string; default: string }> = {};
  for (const [key, path] of Object.entries(config.exports as Record<string, string>)) {
    if (DENO_ONLY.has(key)) continue;
    const base = `./dist/${path.replace(/^\.\//, "").replace(/\.ts$/, "")}`;
    map[key] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  return map;
}

await Deno.remove(out, { recursive: true }).catch(() => {});
await Deno.mkdir(build, { recursive: true });
for (const path of ["mod.ts", "src", "backends"]) await copy(join(root, path), join(build, path));
await Deno.writeTextFile(
  join(build, "package.json"),
  JSON.stringify({ private: true, type: "module", devDependencies: TOOLCHAIN }, null, 2),
);
await Deno.writeTextFile(
  join(build, "tsconfig.json"),
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022", // downlevels `using` for Node 20
        lib: ["ES2024", "ESNext.Disposable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        rewriteRelativeImportExtensions: true,
        declaration: true,
        strict: true,
        skipLibCheck: true,
        types: ["node"],
        rootDir: ".",
        outDir: "../dist",
      },
      include: ["mod.ts", "src/**/*.ts", "backends/**/*.ts"],
    },
    null,
    2,
  ),
);
await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], build);
await run("npx", ["tsc", "-p", "."], build);
await rewriteDeclarations(join(out, "dist"));

const pkg = {
  name: config.name,
  version: config.version,
  description: "One model definition, a synchronous ActiveRecord (SQLite, sql.js) and an asynchronous one " +
    "(PostgreSQL, MySQL, SQLite), with the same method names.",
  license: config.license,
  type: "module",
  exports: exportsMap(),
  files: ["dist", "README.md", "LICENSE"],
  engines: { node: ">=20" },
  peerDependencies: PEERS,
  peerDependenciesMeta: Object.fromEntries(Object.keys(PEERS).map((name) => [name, { optional: true }])),
  sideEffects: ["./dist/backends/*.js"], // backend modules register their URL schemes
};
await Deno.writeTextFile(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
await Deno.copyFile(join(root, "README.md"), join(out, "README.md"));
await Deno.copyFile(join(root, "LICENSE"), join(out, "LICENSE"));
await Deno.remove(build, { recursive: true });
console.log(`built ${pkg.name}@${pkg.version} in npm/ (${Object.keys(pkg.exports).join(", ")})`);
