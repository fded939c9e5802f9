/**
 * Type-checks every example in the documentation: the JSDoc of src/ and backends/ and the README's
 * code blocks, with `docs/prelude.d.ts` declaring the names examples use without declaring them.
 * The prelude applies to this check only (a config made for it), never to the library's own code.
 *
 * Run: `deno run -A scripts/check_docs.ts [files...]` (part of `deno task check`).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));

/** Every .ts file under `dir`, relative to the root. */
function sources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(join(root, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...sources(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/** The package's own entry points by name (`@rho/activerecord/sqlite`), as examples import them. */
function selfImports(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [key, path] of Object.entries(config.exports as Record<string, string>)) {
    entries[config.name + key.slice(1)] = join(root, path);
  }
  return entries;
}

const temp = await Deno.makeTempDir({ prefix: "ar-doccheck-" });
try {
  const checkConfig = join(temp, "deno.json");
  await Deno.writeTextFile(
    checkConfig,
    JSON.stringify({
      imports: { ...config.imports, ...selfImports() },
      compilerOptions: { types: [join(root, "docs", "prelude.d.ts")] },
      lock: false,
    }),
  );
  // Files named on the command line, or every documented file.
  const files = Deno.args.length
    ? Deno.args
    : [...sources("src"), ...sources("backends"), "mod.ts", "cli.ts", "README.md"];
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["check", "--quiet", "--doc-only", "--config", checkConfig, ...files],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error("documentation examples do not type-check (see above)");
    Deno.exit(code);
  }
  console.log(`documentation examples type-check (${files.length} files)`);
} finally {
  await Deno.remove(temp, { recursive: true });
}
