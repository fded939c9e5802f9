/**
 * AsyncActiveRecord on PostgreSQL.
 *
 *     deno task example:postgres      # PG_URL, default postgres://postgres@127.0.0.1:5432/test
 *
 * @module
 */
import { PostgresBackend } from "../backends/postgres.ts";
import { walkthrough } from "./async_app.ts";

const url = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
await walkthrough(new PostgresBackend(url, { max: 10, connectTimeout: 5000 }));
