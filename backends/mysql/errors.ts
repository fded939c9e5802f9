/**
 * mysql2 errors in the shape the MySQL dialect reads: the server's error number and SQLSTATE. A lost
 * or refused connection is a `ConnectionError` at once, and a statement mysql2 gave up on after
 * `queryTimeout` a `QueryCanceledError`.
 * @module
 */
import {
  ActiveRecordError,
  ConnectionError,
  DriverError,
  type FailedQuery,
  QueryCanceledError,
} from "../../src/errors.ts";
import { isNetworkFailure, messageOf } from "../errors.ts";

/** mysql2's own codes for a connection that could not be made or was lost. */
const MYSQL2_LOST = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "HANDSHAKE_NO_SSL_SUPPORT",
  "HANDSHAKE_SSL_ERROR",
  "HANDSHAKE_UNKNOWN_ERROR",
]);

/** mysql2's code for a statement past its `timeout`. */
export const TIMED_OUT = "PROTOCOL_SEQUENCE_TIMEOUT";

/** The fields mysql2 sets on a server error. */
interface MySqlErrorFields {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly sqlState?: unknown;
}

/** `error` of mysql2 running `query` (or taking a connection, without one), normalised. */
export function mysqlError(error: unknown, query: FailedQuery | undefined): Error {
  if (error instanceof ActiveRecordError) return error;
  const fields = (error ?? {}) as MySqlErrorFields;
  const message = messageOf(error);
  if (fields.code === TIMED_OUT) {
    return new QueryCanceledError(
      "MySQL: the statement ran longer than queryTimeout and was abandoned",
      query,
      {
        cause: error,
      },
    );
  }
  if (
    isNetworkFailure(error, MYSQL2_LOST) ||
    /closed state|gone away|lost connection|Pool is closed/i.test(message)
  ) {
    return new ConnectionError(`MySQL: ${message}`, query, { cause: error });
  }
  return new DriverError(message, {
    errno: typeof fields.errno === "number" ? fields.errno : undefined,
    sqlstate: typeof fields.sqlState === "string" ? fields.sqlState : undefined,
  }, { cause: error });
}
