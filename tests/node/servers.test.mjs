// The built npm package on Node against PostgreSQL (postgres.js) and MySQL (mysql2): async models,
// a transaction, error classes; a URL given to configure, and close() so that the process exits.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AsyncActiveRecord,
  column,
  ConnectionError,
  defineSchema,
  UniqueViolationError,
} from "@rho/activerecord";
import "@rho/activerecord/postgres";
import "@rho/activerecord/mysql";

const servers = [
  ["PostgreSQL", process.env.PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"],
  ["MySQL", process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test"],
];

for (const [name, url] of servers) {
  test(`${name}: async models by URL, a transaction, error classes, close()`, async (t) => {
    const table = `node_${name.toLowerCase()}_${process.pid}_${Date.now()}`;
    const items = defineSchema(table, { id: column.integer().primaryKey(), label: column.text().unique() });
    class Item extends AsyncActiveRecord.model(items) {}
    try {
      await Item.configure(url);
    } catch (error) {
      if (error instanceof ConnectionError && process.env.REQUIRE_DB !== "1") {
        t.skip(`${name} unreachable: ${error.message}`);
        return;
      }
      throw error;
    }
    try {
      await Item.createTable();
      await Item.create({ label: "one" });
      await assert.rejects(Item.create({ label: "one" }), UniqueViolationError);
      await assert.rejects(
        Item.transaction(async () => {
          await Item.create({ label: "two" });
          throw new Error("roll back");
        }),
        /roll back/,
      );
      assert.deepEqual(await Item.query().pluck("label"), ["one"]);
      const [a, b] = await Promise.all([Item.query().count(), Item.query().where({ label: "one" }).exists()]);
      assert.deepEqual([a, b], [1, true]);
    } finally {
      await Item.dropTable({ ifExists: true });
      await Item.backend.close();
    }
  });
}
