/**
 * The backend x mode targets of the conformance suite. A new backend joins by adding an entry.
 */
import type { Backend, Mode } from "../../mod.ts";
import Database from "better-sqlite3";
import { serverContext, SQLiteBackend } from "../../backends/sqlite.ts";
import { SqlJsBackend } from "../../backends/sqljs.ts";
import { PostgresBackend } from "../../backends/postgres.ts";
import { MySQLBackend } from "../../backends/mysql.ts";
import { connectAsync } from "../../mod.ts";
import {
  closeNamespaced,
  type NamespaceRules,
  openBeside,
  openNamespaced,
  type ServerBackend,
} from "./namespace.ts";

/** What a target can do; tests that need more are skipped with the reason printed. */
export type Capability =
  | "sync" // answers synchronously (sync models, sync transaction rules)
  | "sqlite" // speaks the SQLite dialect, whatever the driver (begin behaviors, serializable only)
  | "row-locks" // SELECT ... FOR UPDATE locks rows
  | "isolation-levels" // read committed / repeatable read / serializable are all honoured
  | "pool" // several connections: independent queries run in parallel
  | "backslash-escapes"; // a backslash escapes the next character in string literals (MySQL)

/** One backend in one mode. */
export interface Target {
  /** e.g. "sqlite x sync". */
  readonly name: string;
  readonly mode: Mode;
  readonly capabilities: ReadonlySet<Capability>;
  /** Why every test of this target is skipped (server unreachable), if so. */
  readonly unavailable?: string;
  /** A backend on a clean database for one test (servers: a schema or database private to it). */
  open(): Promise<Backend>;
  /** Another backend on the same database as `backend` (servers only: an in-memory one has no second door). */
  readonly beside?: (backend: Backend) => ServerBackend;
  /** Closes what `open` opened (and drops its private namespace). */
  close(backend: Backend): Promise<void>;
  /** SQL reading the text of JSON field `key` of column `column` (proves JSON is stored as JSON). */
  readonly jsonField: (column: string, key: string) => string;
  /** SQL that sleeps 50 ms, then returns the id of the server session running it. */
  readonly sleepySessionIdSql?: string;
}

/**
 * Whether a server answers. Unreachable: its tests are skipped with a loud line, unless
 * `REQUIRE_DB=1`, when they run (and fail) so that CI cannot pass without the database.
 */
async function probe(name: string, open: () => Backend): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    await using db = await connectAsync(open());
    await db.executeScalar("SELECT 1");
  } catch (error) {
    reason = `${name} unreachable: ${(error as Error).message}`;
  }
  if (!reason) return undefined;
  if (Deno.env.get("REQUIRE_DB") === "1") {
    console.error(`!!! ${reason}; REQUIRE_DB=1, so its tests run and fail`);
    return undefined;
  }
  console.error(`!!! ${reason}: SKIPPING its tests (set REQUIRE_DB=1 to fail instead)`);
  return reason;
}

/** The PostgreSQL test database. */
export const PG_URL = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
type ServerOptions = { max?: number; connectTimeout?: number };
const openPostgres = () => new PostgresBackend(PG_URL, { max: 6, connectTimeout: 5000 });

function withQuery(base: string, key: string, value: string): string {
  const url = new URL(base);
  url.searchParams.set(key, value);
  return url.href;
}

/** Each test in its own schema: `search_path` in the URL reaches every pooled connection. */
export const postgresNamespaces: NamespaceRules<ServerOptions> = {
  url: PG_URL,
  open: (url, options) =>
    new PostgresBackend(url, { max: 6, connectTimeout: 5000, closeTimeout: 200, ...options }),
  urlOf: (base, name) => withQuery(base, "search_path", name),
  create: (name) => `CREATE SCHEMA "${name}"`,
  drop: (name) => `DROP SCHEMA "${name}" CASCADE`,
  createOnBase: false,
};

/** PostgreSQL through postgres.js. */
export const postgresAsync: Target = {
  name: "postgres x async",
  mode: "async",
  jsonField: (column, key) => `${column}->>'${key}'`,
  capabilities: new Set<Capability>(["row-locks", "isolation-levels", "pool"]),
  unavailable: await probe("PostgreSQL", openPostgres),
  open: () => openNamespaced(postgresNamespaces),
  beside: (backend) => openBeside(postgresNamespaces, backend),
  close: (backend) => closeNamespaced(backend as ServerBackend),
  sleepySessionIdSql: "SELECT pg_backend_pid() FROM pg_sleep(0.05)",
};

const sqliteJson = (column: string, key: string) => `json_extract(${column}, '$.${key}')`;

const sqlite = (mode: Mode): Target => ({
  name: `sqlite x ${mode}`,
  mode,
  jsonField: sqliteJson,
  capabilities: new Set<Capability>(mode === "sync" ? ["sync", "sqlite"] : ["sqlite"]),
  open: () => Promise.resolve(new SQLiteBackend(":memory:")),
  close: (backend) => Promise.resolve((backend as SQLiteBackend).close()),
});

/** better-sqlite3 (npm, N-API prebuilds) behind the same backend, to exercise its adapter. */
const betterSqlite3: Target = {
  name: "better-sqlite3 x sync",
  mode: "sync",
  jsonField: sqliteJson,
  capabilities: new Set<Capability>(["sync", "sqlite"]),
  open: () => Promise.resolve(new SQLiteBackend(new Database(":memory:"))),
  close: (backend) => Promise.resolve((backend as SQLiteBackend).close()),
};

/** The MySQL / MariaDB test database. */
export const MYSQL_URL = Deno.env.get("MYSQL_URL") ?? "mysql://root@127.0.0.1:3306/test";
const openMysql = () => new MySQLBackend(MYSQL_URL, { max: 6, connectTimeout: 5000 });

/** Each test in its own database, created from the base one. */
export const mysqlNamespaces: NamespaceRules<ServerOptions> = {
  url: MYSQL_URL,
  open: (url, options) => new MySQLBackend(url, { max: 6, connectTimeout: 5000, ...options }),
  urlOf: (base, name) => {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.href;
  },
  create: (name) => `CREATE DATABASE \`${name}\``,
  drop: (name) => `DROP DATABASE \`${name}\``,
  createOnBase: true,
};

/** MySQL / MariaDB through mysql2. */
export const mysqlAsync: Target = {
  name: "mysql x async",
  mode: "async",
  jsonField: (column, key) => `JSON_UNQUOTE(JSON_EXTRACT(${column}, '$.${key}'))`,
  capabilities: new Set<Capability>(["row-locks", "isolation-levels", "pool", "backslash-escapes"]),
  unavailable: await probe("MySQL", openMysql),
  open: () => openNamespaced(mysqlNamespaces),
  beside: (backend) => openBeside(mysqlNamespaces, backend),
  close: (backend) => closeNamespaced(backend as ServerBackend),
  sleepySessionIdSql: "SELECT CONNECTION_ID() FROM (SELECT SLEEP(0.05)) AS pause",
};

/** sql.js (WASM); the async face gets the server context, as a Deno or Node app would pass it. */
const sqljs = (mode: Mode): Target => ({
  name: `sqljs x ${mode}`,
  mode,
  jsonField: sqliteJson,
  capabilities: new Set<Capability>(mode === "sync" ? ["sync", "sqlite"] : ["sqlite"]),
  open: () => SqlJsBackend.open({ context: serverContext }),
  close: (backend) => (backend as SqlJsBackend).close(),
});

/** Every target, in the order their tests are registered. */
export const targets: readonly Target[] = [
  sqlite("sync"),
  sqlite("async"),
  betterSqlite3,
  sqljs("sync"),
  sqljs("async"),
  postgresAsync,
  mysqlAsync,
];
