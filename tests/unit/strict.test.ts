/** The conformance harness's sync guard can fail: a sync method that returns a Promise is caught. */
import assert from "node:assert/strict";
import { ActiveRecord } from "../../mod.ts";
import { SQLiteBackend } from "../../backends/sqlite.ts";
import { strict } from "../conformance/strict.ts";
import { users } from "../conformance/fixtures.ts";

Deno.test("strict: a sync model method that returns a Promise fails the call", () => {
  using backend = new SQLiteBackend(":memory:");
  class Broken extends ActiveRecord.model(users) {
    // A bug the guard exists to catch: a sync method that hands back a Promise.
    override validate() {
      return Promise.resolve({}) as unknown as ReturnType<ActiveRecord["validate"]>;
    }
  }
  Broken.configure(backend);
  Broken.createTable();
  const Guarded = strict(Broken);
  const record = new Guarded({ name: "Ann", email: "a@x.io" });
  assert.throws(() => record.validate(), /a sync target returned a Promise from .*validate/);
  record.save();
  assert.ok(Guarded.findOne(record.id) instanceof Broken, "records come back, wrapped, from the real class");
});
