/**
 * SQLite errors, whatever the driver, in the shape the SQLite dialect reads: the result code name
 * (better-sqlite3 gives it; node:sqlite, sql.js and @db/sqlite only give SQLite's message, which
 * says the same), and the table and column of a violated constraint.
 * @module
 */
import {
  ActiveRecordError,
  ConnectionError,
  DriverError,
  type FailedQuery,
  QueryError,
} from "../../src/errors.ts";
import { messageOf } from "../errors.ts";

/** SQLite's messages and the result codes they stand for. */
const BY_MESSAGE: readonly [RegExp, string][] = [
  [/^UNIQUE constraint failed/, "SQLITE_CONSTRAINT_UNIQUE"],
  [/^NOT NULL constraint failed/, "SQLITE_CONSTRAINT_NOTNULL"],
  [/^CHECK constraint failed/, "SQLITE_CONSTRAINT_CHECK"],
  [/^FOREIGN KEY constraint failed/, "SQLITE_CONSTRAINT_FOREIGNKEY"],
  [/database is locked/, "SQLITE_BUSY"],
  [/database table is locked/, "SQLITE_LOCKED"],
  [/file is not a database/, "SQLITE_NOTADB"],
  [/unable to open database/, "SQLITE_CANTOPEN"],
  [/attempt to write a readonly database/, "SQLITE_READONLY"],
];

const CLOSED = /database (is not open|connection is not open|is closed)|closed database/i;

/** `error` thrown by a SQLite driver running `query`, as a `DriverError` (or a typed error it already is). */
export function sqliteError(error: unknown, query: FailedQuery): Error {
  if (error instanceof ActiveRecordError) return error;
  const message = messageOf(error);
  if (CLOSED.test(message)) return new ConnectionError(`SQLite: ${message}`, query, { cause: error });
  if (/too large to be represented as a JavaScript number/.test(message)) {
    // node:sqlite's own check; its message names the value, so it is not kept.
    return new QueryError(
      "SQLite: a column read holds an integer beyond ±(2^53-1): declare it column.bigint()",
      query,
    );
  }
  const driverCode = (error as { code?: unknown } | null)?.code;
  const code = typeof driverCode === "string" && driverCode.startsWith("SQLITE_")
    ? driverCode
    : BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1];
  // "UNIQUE constraint failed: t.c" (names the table and column); "CHECK constraint failed: name"
  const detail = /constraint failed:\s*(.+)$/.exec(message)?.[1] ?? "";
  const [table, column] = /^(\w+)\.(\w+)/.exec(detail)?.slice(1) ?? [];
  const constraint = code === "SQLITE_CONSTRAINT_CHECK" && detail ? detail : undefined;
  return new DriverError(message, { code, table, column, constraint }, { cause: error });
}
