/** The server backends as the server test files see them: URLs, options, and SQL for each. */
import type { Backend } from "../../mod.ts";
import { PostgresBackend } from "../../backends/postgres.ts";
import { MySQLBackend } from "../../backends/mysql.ts";
import {
  MYSQL_URL,
  mysqlAsync,
  mysqlNamespaces,
  PG_URL,
  postgresAsync,
  postgresNamespaces,
  type Target,
} from "../conformance/targets.ts";
import type { NamespaceRules } from "../conformance/namespace.ts";

export type Options = { max?: number; connectTimeout?: number; queryTimeout?: number };

export interface Server {
  readonly name: string;
  readonly target: Target;
  readonly url: string;
  readonly schemes: readonly [string, string];
  readonly open: (url: string, options?: Options) => Backend & { close(): Promise<void> };
  /** Private namespaces for tests that make tables. */
  readonly namespaces: NamespaceRules<Options>;
  /** The URL with a query parameter that asks for TLS (the test servers have none). */
  readonly tlsUrl: string;
  /** Statements that make the current transaction give up on locks quickly. */
  readonly impatient: readonly string[];
  readonly sessionId: string;
  readonly kill: (id: unknown) => string;
  /** SQL that sleeps `seconds`. */
  readonly sleep: (seconds: number) => string;
  /** Statements (in a transaction) after which the server cancels a statement that runs over 100 ms. */
  readonly serverTimeout: readonly string[];
  /** A statement the server cancels for running too long, after `serverTimeout`. */
  readonly overrun: string;
}

function withParam(base: string, key: string, value: string): string {
  const url = new URL(base);
  url.searchParams.set(key, value);
  return url.href;
}

export const servers: Server[] = [
  {
    name: "postgres",
    target: postgresAsync,
    url: PG_URL,
    schemes: ["postgres:", "postgresql:"],
    open: (url, options) => new PostgresBackend(url, { closeTimeout: 200, ...options }),
    namespaces: postgresNamespaces,
    tlsUrl: withParam(PG_URL, "sslmode", "require"),
    impatient: ["set local deadlock_timeout = '50ms'", "set local lock_timeout = '200ms'"],
    sessionId: "select pg_backend_pid()",
    kill: (id) => `select pg_terminate_backend(${Number(id)})`,
    sleep: (seconds) => `select pg_sleep(${seconds})`,
    serverTimeout: ["set local statement_timeout = '100ms'"],
    overrun: "select pg_sleep(2)",
  },
  {
    name: "mysql",
    target: mysqlAsync,
    url: MYSQL_URL,
    schemes: ["mysql:", "mariadb:"],
    open: (url, options) => new MySQLBackend(url, options),
    namespaces: mysqlNamespaces,
    tlsUrl: withParam(MYSQL_URL, "ssl", JSON.stringify({ rejectUnauthorized: false })),
    impatient: ["set innodb_lock_wait_timeout = 1"],
    sessionId: "select connection_id()",
    kill: (id) => `kill ${Number(id)}`,
    sleep: (seconds) => `select sleep(${seconds})`,
    serverTimeout: [],
    overrun: "SET STATEMENT max_statement_time = 0.1 FOR SELECT SLEEP(2)",
  },
];
