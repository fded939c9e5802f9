import { connectAsync } from "./mod.ts";
import { PostgresBackend } from "./backends/postgres.ts";
import { MySQLBackend } from "./backends/mysql.ts";
import { FaultProxy } from "./tests/support/proxy.ts";
const which = Deno.args[0];
const proxy = new FaultProxy({ hostname: "127.0.0.1", port: which === "pg" ? 5432 : 3306 });
const url = proxy.urlFor(
  which === "pg" ? "postgres://postgres@127.0.0.1:5432/test" : "mysql://root@127.0.0.1:3306/test",
);
proxy.mode = "accept-then-close";
const make = () =>
  which === "pg"
    ? new PostgresBackend(url, { connectTimeout: 1000, closeTimeout: 100 })
    : new MySQLBackend(url, { connectTimeout: 1000 });
const b = make();
const t = Date.now();
const r = await Promise.race([
  connectAsync(b).then(() => "connected", (e) => `${e.name}: ${e.message}`),
  new Promise((r) => setTimeout(() => r("HANG"), 4000)),
]);
console.log(which, "accept-then-close:", r, Date.now() - t, "ms; accepted", proxy.accepted);
await Promise.race([b.close(), new Promise((r) => setTimeout(r, 500))]);
await proxy.close();
Deno.exit(0);
