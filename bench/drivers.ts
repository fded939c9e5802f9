/** The raw drivers of the server benches, used the way their documentation shows. */
import postgres from "postgres";
import mysql from "mysql2/promise";
import { PostgresBackend } from "../backends/postgres.ts";
import { MySQLBackend } from "../backends/mysql.ts";
import type { Result } from "./measure.ts";
import { benchServer, type RawDriver } from "./server.ts";

const COLUMNS = "id, name, email, age, is_active, created_at";

export function benchPostgres(): Promise<Result[]> {
  const url = Deno.env.get("PG_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  const raw: RawDriver = {
    label: "postgres.js",
    findOne: async (id) =>
      (await sql.unsafe(`select ${COLUMNS} from bench_users where id = $1`, [id], { prepare: true }))[0],
    page: () => sql.unsafe(`select ${COLUMNS} from bench_users limit 1000`, [], { prepare: true }),
    close: () => sql.end(),
  };
  return benchServer("postgres", new PostgresBackend(url, { max: 10 }), raw);
}

export function benchMysql(): Promise<Result[]> {
  const url = Deno.env.get("MYSQL_URL") ?? "mysql://root@127.0.0.1:3306/test";
  const pool = mysql.createPool({ uri: url, connectionLimit: 10 });
  const raw: RawDriver = {
    label: "mysql2",
    findOne: async (id) => {
      const [rows] = await pool.execute(`select ${COLUMNS} from bench_users where id = ?`, [id]);
      return (rows as unknown[])[0];
    },
    page: () => pool.execute(`select ${COLUMNS} from bench_users limit 1000`),
    close: () => pool.end(),
  };
  return benchServer("mysql", new MySQLBackend(url, { max: 10 }), raw);
}
