/**
 * The command line: `migrate up|down|status|new`. Migrations are the default exports of the `.ts`
 * files of a folder (`./migrations`); the database comes from `--url` or `DATABASE_URL`.
 *
 * ```sh
 * deno run -A jsr:@rho/activerecord/cli migrate up --url postgres://user@127.0.0.1/app
 * DATABASE_URL=sqlite:app.db deno run -A jsr:@rho/activerecord/cli migrate status
 * deno run -A jsr:@rho/activerecord/cli migrate down --steps 2
 * deno run -A jsr:@rho/activerecord/cli migrate new add_slug_to_posts
 * ```
 *
 * @example
 * ```ts
 * import { main } from "@rho/activerecord/cli";
 * Deno.exit(await main(["migrate", "status"], { url: "sqlite:app.db", dir: "db/migrations" }));
 * ```
 * @module
 */
import { connectAsync, type Migration, Migrator } from "./mod.ts";
import "./backends/sqlite.ts";
import "./backends/postgres.ts";
import "./backends/mysql.ts";

/** Defaults a project's own script may give `main` (flags and `DATABASE_URL` override them). */
export interface CliDefaults {
  /** The database URL when neither `--url` nor `DATABASE_URL` gives one. */
  readonly url?: string;
  /** The migrations folder (default `./migrations`). */
  readonly dir?: string;
  /** What new migrations import `defineMigration` and `column` from (default `@rho/activerecord`). */
  readonly importFrom?: string;
}

const USAGE = `usage: migrate <up|down|status|new> [options]
  up [--to ID]              apply pending migrations (all, or up to and including ID)
  down [--steps N | --to ID] undo the last migration (or N, or every one after ID)
  status                     list migrations and where they stand
  new NAME                   write a new migration file
options: --url URL (or DATABASE_URL), --dir DIR (default ./migrations), --table NAME`;

/** Parses `--name value` flags; the rest are positional. */
function parse(args: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split("=", 2);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

/** The migrations of `dir`: the default export of each `.ts` file, by file name. */
async function loadMigrations(dir: string): Promise<Migration[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ts")) files.push(entry.name);
  }
  const migrations: Migration[] = [];
  for (const file of files.sort()) {
    const url = new URL(file, `file://${Deno.realPathSync(dir)}/`).href;
    const loaded = (await import(url)).default;
    if (!loaded || typeof loaded.checksum !== "string") {
      throw new Error(`${dir}/${file} does not export default defineMigration(...)`);
    }
    migrations.push(loaded);
  }
  return migrations;
}

/** A number of milliseconds, short. */
function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** `20261123T101500_name`: a timestamp so that ids sort in the order they were made. */
function newId(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error("a migration name is letters, digits and _");
  const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
  return `${stamp}_${name}`;
}

/** Writes a new migration file; returns its path. */
async function writeMigration(dir: string, name: string, importFrom: string): Promise<string> {
  const id = newId(name);
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${id}.ts`;
  const text = `import { column, defineMigration } from "${importFrom}";

export default defineMigration({
  id: "${id}",
  up(m) {
    // m.addColumn("posts", "slug", column.text().nullable());
  },
  down(m) {
    // m.dropColumn("posts", "slug");
  },
});
`;
  await Deno.writeTextFile(path, text, { createNew: true });
  return path;
}

/**
 * Runs a command (`["migrate", "up"]`, ...); prints each step and its time; returns the exit code
 * (0, or 1 on failure, with the error printed).
 */
export async function main(args: readonly string[], defaults: CliDefaults = {}): Promise<number> {
  try {
    const { positional, flags } = parse(args);
    const [group, command, name] = positional;
    if (group !== "migrate" || !command) {
      console.error(USAGE);
      return 2;
    }
    const dir = flags.get("dir") ?? defaults.dir ?? "./migrations";
    if (command === "new") {
      if (!name) throw new Error("migrate new needs a NAME");
      console.log(`created ${await writeMigration(dir, name, defaults.importFrom ?? "@rho/activerecord")}`);
      return 0;
    }
    const url = flags.get("url") ?? Deno.env.get("DATABASE_URL") ?? defaults.url;
    if (!url) throw new Error("no database: give --url URL or set DATABASE_URL");
    const migrations = await loadMigrations(dir);
    await using db = await connectAsync(url);
    const migrator = new Migrator(db, { migrations, table: flags.get("table") });
    return await run(migrator, command, flags);
  } catch (error) {
    console.error(`migrate: ${error instanceof Error ? error.message : error}`);
    return 1;
  }
}

async function run(
  migrator: Migrator<"async">,
  command: string,
  flags: Map<string, string>,
): Promise<number> {
  switch (command) {
    case "status": {
      const list = await migrator.status();
      for (const s of list) {
        console.log(`${s.state.padEnd(8)} ${s.id}${s.appliedAt ? `  (${s.appliedAt.toISOString()})` : ""}`);
      }
      if (list.length === 0) console.log("no migrations");
      return 0;
    }
    case "up": {
      const to = flags.get("to");
      const status = await migrator.status();
      const pending = status.filter((s) => s.state === "pending" && (to === undefined || s.id <= to));
      for (const s of status) {
        if (s.state === "changed") console.warn(`warning: ${s.id} was edited after it was applied`);
      }
      for (const { id } of pending) {
        for (const step of (await migrator.up({ to: id })).steps) {
          console.log(`up    ${step.id}  ${ms(step.ms)}, ${step.statements} statement(s)`);
        }
      }
      if (pending.length === 0) console.log("nothing to apply");
      return 0;
    }
    case "down": {
      const steps = flags.has("steps") ? Number(flags.get("steps")) : undefined;
      const report = await migrator.down({ to: flags.get("to"), steps });
      for (const step of report.steps) {
        console.log(`down  ${step.id}  ${ms(step.ms)}, ${step.statements} statement(s)`);
      }
      if (report.steps.length === 0) console.log("nothing to undo");
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
