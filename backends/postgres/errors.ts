/**
 * postgres.js errors in the shape the PostgreSQL dialect reads: the SQLSTATE and the table, column
 * and constraint PostgreSQL reports. A lost or refused connection is a `ConnectionError` at once.
 * @module
 */
import { ActiveRecordError, ConnectionError, DriverError, type FailedQuery } from "../../src/errors.ts";
import { isNetworkFailure, messageOf } from "../errors.ts";

/** postgres.js's own codes for a connection that could not be made or was lost. */
const POSTGRES_JS_LOST = new Set([
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** SQLSTATEs of a connection the server ended (the session is gone; its pool should be renewed). */
const SERVER_ENDED = new Set(["57P01", "57P02", "57P03", "08000", "08003", "08006"]);

/** The fields postgres.js sets on a server error. */
interface PostgresErrorFields {
  readonly code?: unknown;
  readonly table_name?: string;
  readonly column_name?: string;
  readonly constraint_name?: string;
  readonly detail?: string;
}

/** `Key (user_id)=(404) ...` → `user_id` (the name only; the values are never kept). */
function keyColumn(detail: string | undefined): string | undefined {
  return detail ? /^Key \(([^)]+?)\)=/.exec(detail)?.[1]?.split(",")[0]?.trim().replace(/"/g, "") : undefined;
}

/** `error` of postgres.js running `query` (or taking a connection, without one), normalised. */
export function postgresError(error: unknown, query: FailedQuery | undefined): Error {
  if (error instanceof ActiveRecordError) return error;
  if (isNetworkFailure(error, POSTGRES_JS_LOST)) {
    return new ConnectionError(`PostgreSQL: ${messageOf(error)}`, query, { cause: error });
  }
  const fields = (error ?? {}) as PostgresErrorFields;
  const sqlstate = typeof fields.code === "string" && /^[0-9A-Z]{5}$/.test(fields.code)
    ? fields.code
    : undefined;
  return new DriverError(messageOf(error), {
    sqlstate,
    table: fields.table_name,
    column: fields.column_name ?? keyColumn(fields.detail),
    constraint: fields.constraint_name,
  }, { cause: error });
}

/** True when `error` (normalised) means the connection is gone: its session is lost, its pool renewed. */
export function isLost(error: unknown): boolean {
  return error instanceof ConnectionError ||
    (error instanceof DriverError && error.sqlstate !== undefined && SERVER_ENDED.has(error.sqlstate));
}
