/**
 * PostgreSQL through postgres.js, for `AsyncActiveRecord` and `connectAsync`. Importing this module
 * registers the `postgres:` and `postgresql:` URL schemes.
 *
 * @example
 * ```ts
 * import { PostgresBackend } from "@rho/activerecord/postgres";
 * await AsyncUser.configure(new PostgresBackend("postgres://app@127.0.0.1:5432/app", { max: 10 }));
 * ```
 * @module
 */
import { Buffer } from "node:buffer";
import postgres from "postgres";
import type {
  AsyncBackend,
  Backend,
  DriverQuery,
  QueryResult,
  ReservedSession,
  TransactionContext,
} from "../src/backend.ts";
import { registerBackend } from "../src/connection/registry.ts";
import { PostgresDialect } from "../src/dialect/postgres.ts";
import { serverContext } from "./context.ts";
import { GuardedSession } from "./session.ts";
import { poolSize, type ServerConnection, serverConnection } from "./url.ts";

/** Pool options, in milliseconds. */
export interface PostgresOptions {
  /** Most connections in the pool (default 10). */
  readonly max?: number;
  /** Close connections idle this long (default: never). */
  readonly idleTimeout?: number;
  /** Give up connecting after this long, with a `ConnectionError` (default 30,000). */
  readonly connectTimeout?: number;
  /** How long `close()` lets running queries finish before cutting connections (default 5,000). */
  readonly closeTimeout?: number;
  /** TLS: `true`, `"require"`, or options for the TLS connection. */
  readonly ssl?: boolean | "require" | "prefer" | Record<string, unknown>;
  /** The async context that lets queries join their caller's transaction (default: AsyncLocalStorage). */
  readonly context?: TransactionContext;
}

/** Connection settings as an object, instead of a URL. */
export type PostgresConnection = ServerConnection;

/** The part of a postgres.js result this backend reads. */
interface RawResult extends Array<unknown[]> {
  readonly count: number | null;
  readonly columns?: readonly { name: string }[];
}

/** The connection object postgres.js hands to `onexecute`. */
interface PostgresConnectionHandle {
  onclose: ((error: unknown) => void) | null;
}

/** Options of postgres.js's `unsafe`. */
interface UnsafeOptions {
  readonly prepare: boolean;
  readonly onexecute?: (connection: PostgresConnectionHandle) => boolean;
}

/** The part of postgres.js's `Sql` this backend uses. */
interface PostgresSql {
  unsafe(text: string, params: unknown[], options: UnsafeOptions): { values(): Promise<RawResult> };
  reserve(): Promise<PostgresSql & { release(): void }>;
  end(options: { timeout: number }): Promise<void>;
}

function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/**
 * Serializers by the parameter type the server describes. A string always goes as it is, for the
 * server to parse or refuse: postgres.js's own serializers would rewrite it (`"true"` bound to a
 * boolean became false, `"not a date 5"` became 2005-01-01) or throw mid-message and wedge the
 * connection (an invalid date string).
 */
function asText(serialize: (x: never) => string): (x: unknown) => string {
  return (x) => typeof x === "string" ? x : serialize(x as never);
}

const isoText = (x: Date | number) => x instanceof Date ? x.toISOString() : String(x);

/** Parsers and serializers for types whose postgres.js defaults would lose or rewrite information. */
const types = {
  // int8: a number while it is a safe integer (no BigInt allocation per value), a bigint beyond
  bigint: { to: 20, from: [20], serialize: asText((x: bigint) => x.toString()), parse: parseInt8 },
  dateOnly: { to: 1082, from: [1082], serialize: asText(isoText), parse: (x: string) => x },
  // json/jsonb as text: the dialect parses it, so a JSON string value ("hello") is not mistaken for text
  jsonText: { to: 3802, from: [114, 3802], serialize: asText(String), parse: (x: string) => x },
  // timestamp without time zone: read as UTC, never as the machine's local time
  timestamp: { to: 1114, from: [1114], serialize: asText(isoText), parse: (x: string) => new Date(x + "Z") },
  timestamptz: { to: 1184, from: [1184], serialize: asText(isoText), parse: (x: string) => new Date(x) },
  // booleans: true/false as t/f; anything else as its text (1 -> "1", which the server reads as true)
  boolean: {
    to: 16,
    from: [16],
    serialize: asText((x: unknown) => x === true ? "t" : x === false ? "f" : String(x)),
    parse: (x: string) => x === "t",
  },
  bytea: { to: 17, serialize: asText((x: Uint8Array) => "\\x" + Buffer.from(x).toString("hex")) },
};

const EMPTY: readonly string[] = Object.freeze([]);

async function run(
  sql: PostgresSql,
  query: DriverQuery,
  watch?: UnsafeOptions["onexecute"],
): Promise<QueryResult> {
  // Statements with parameters are prepared (postgres.js caches them per connection); text without
  // parameters may hold several statements, which only the simple protocol accepts.
  const prepare = query.params.length > 0;
  const rows = await sql.unsafe(query.text, query.params as unknown[], { prepare, onexecute: watch })
    .values();
  const columns = rows.columns ? rows.columns.map((c) => c.name) : EMPTY;
  return { columns, rows, changes: rows.count ?? 0 };
}

/**
 * A pool of PostgreSQL connections. Async only: configuring a sync model with it is a
 * `ConfigurationError`.
 *
 * @example
 * ```ts
 * const backend = new PostgresBackend("postgres://postgres@127.0.0.1:5432/test", { max: 10, connectTimeout: 5000 });
 * await AsyncUser.configure(backend);
 * await backend.close();
 * ```
 */
export class PostgresBackend implements Backend, AsyncBackend {
  /** The PostgreSQL dialect. */
  readonly dialect: PostgresDialect = new PostgresDialect();
  /** PostgreSQL answers only asynchronously. */
  readonly sync: undefined = undefined;
  /** Carries the current transaction across `await`. */
  readonly context: TransactionContext | undefined;
  readonly #sql: PostgresSql;
  readonly #closeTimeout: number;

  /** Opens a pool lazily; the first query connects. */
  constructor(target: string | PostgresConnection, options: PostgresOptions = {}) {
    const connection = serverConnection(target, ["postgres:", "postgresql:"], "PostgresBackend");
    // Only options that were given: postgres.js lets a key present in the options, even undefined,
    // override the URL's query (`ssl: undefined` would silently drop `?sslmode=require`).
    const settings: Record<string, unknown> = { max: poolSize(options.max), types, onnotice: () => {} };
    if (options.idleTimeout !== undefined) settings.idle_timeout = options.idleTimeout / 1000;
    if (options.ssl !== undefined) settings.ssl = options.ssl;
    const url = typeof target === "string" ? new URL(target) : undefined;
    if (options.connectTimeout !== undefined || !url?.searchParams.has("connect_timeout")) {
      settings.connect_timeout = (options.connectTimeout ?? 30_000) / 1000;
    }
    // A URL goes to postgres.js as it is, so that its query parameters (sslmode, search_path, ...) apply.
    this.#sql =
      (typeof target === "string"
        ? postgres(target, settings)
        : postgres({ ...connection, ...settings })) as unknown as PostgresSql;
    this.context = options.context ?? serverContext;
    this.#closeTimeout = options.closeTimeout ?? 5000;
  }

  /** This backend is its own async face. */
  get async(): AsyncBackend {
    return this;
  }

  /** Runs one statement on any pooled connection. */
  run(query: DriverQuery): Promise<QueryResult> {
    return run(this.#sql, query);
  }

  /**
   * Takes one connection out of the pool (for a transaction).
   *
   * postgres.js writes to a reserved connection even after the server closed it, which throws an
   * uncaught TypeError (porsager/postgres#1208), and releasing such a connection breaks the pool
   * (#1199). So the session watches its connection, as postgres.js's own `begin` does: once it is
   * lost, queries fail with a `ConnectionError` and the connection is not handed back.
   */
  async reserve(): Promise<ReservedSession> {
    const reserved = await this.#sql.reserve();
    let connection: PostgresConnectionHandle | undefined;
    const session: GuardedSession = new GuardedSession(
      // The first statement without parameters (the transaction's BEGIN) hands over the connection.
      (query) => run(reserved, query, connection ? undefined : watch),
      () => {
        if (connection) connection.onclose = null;
        reserved.release();
      },
      "CONNECTION_CLOSED",
    );
    const watch = (handle: PostgresConnectionHandle) => {
      connection = handle;
      handle.onclose = () => session.markLost();
      return true;
    };
    return session;
  }

  /** Closes every connection, letting running queries finish for up to `closeTimeout`. */
  close(): Promise<void> {
    return this.#sql.end({ timeout: this.#closeTimeout / 1000 });
  }
}

registerBackend("postgres", (url) => new PostgresBackend(url));
registerBackend("postgresql", (url) => new PostgresBackend(url));
