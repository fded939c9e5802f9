/**
 * AsyncActiveRecord on MySQL or MariaDB.
 *
 *     deno task example:mysql         # MYSQL_URL, default mysql://root@127.0.0.1:3306/test
 *
 * @module
 */
import { MySQLBackend } from "../backends/mysql.ts";
import { walkthrough } from "./async_app.ts";

const url = Deno.env.get("MYSQL_URL") ?? "mysql://root@127.0.0.1:3306/test";
await walkthrough(new MySQLBackend(url, { max: 10, connectTimeout: 5000 }));
