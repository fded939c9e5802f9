/**
 * The seams of the save and delete pipelines, exercised through their internal API (the lifecycle
 * features hang on them): steps that call user code, extra SET and WHERE on the hot-path statements.
 */
import assert from "node:assert/strict";
import { RecordNotFoundError, sql } from "../../mod.ts";
import { addCondition, addStep } from "../../src/model/pipeline.ts";
import { invoke } from "../../src/run/request.ts";
import type { ModelClass } from "../../src/model/record.ts";
import { conformance, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

conformance(
  "a step calls user code: a value in sync mode, awaited in async mode; a sync Promise is a TypeError",
  async (env) => {
    const User = await env.model(users);
    await env.createTables(User);
    const seen: string[] = [];
    addStep(User as unknown as ModelClass, "save", "before", function* (context) {
      const name = context.values[1] as string;
      yield* invoke(
        () => env.mode === "async" ? Promise.resolve(seen.push(name)) : seen.push(name),
        "User.check",
      );
    });
    await User.create({ name: "Ann", email: "a@x.io" });
    assert.deepEqual(seen, ["Ann"]);
    if (env.mode === "sync") {
      class Sloppy extends User {}
      addStep(Sloppy as unknown as ModelClass, "save", "before", function* () {
        yield* invoke(() => Promise.resolve(), "Sloppy.beforeSave");
      });
      assert.throws(() => Sloppy.create({ name: "Bob", email: "b@x.io" }), (e: unknown) => {
        assert.ok(
          e instanceof TypeError && /Sloppy.beforeSave returned a Promise/.test(e.message),
          String(e),
        );
        return true;
      });
      assert.equal(await User.query().count(), 1, "the before-step failed: nothing written");
      User.create({ name: "Cid", email: "c@x.io" }); // the base's pipeline is its own
      assert.equal(await User.query().count(), 2);
    }
  },
);

conformance(
  "steps extend the UPDATE's SET and the WHERE of UPDATE and DELETE (cached per shape)",
  async (env) => {
    const User = await env.model(users);
    await env.createTables(User);
    class Guarded extends User {}
    const cls = Guarded as unknown as ModelClass;
    // An extra SET: every update also writes age = 99 (like updatedAt).
    addStep(cls, "save", "prepare", (context) => {
      if (context.isNew) return;
      const age = context.schema.field("age")!;
      context.values[age.index] = 99;
      if (!context.fields.includes(age)) context.fields.push(age);
    });
    // An extra WHERE: only rows still active (like a lock version or a scope).
    const onlyActive = (context: Parameters<Parameters<typeof addStep>[3]>[0]) =>
      addCondition(context, "active", sql`${sql.id("is_active")} = ${true}`);
    addStep(cls, "save", "prepare", onlyActive);
    addStep(cls, "delete", "prepare", onlyActive);

    const ann = await Guarded.create({ name: "Ann", email: "a@x.io", age: 1 });
    ann.name = "Annie";
    await env.assertQueries(1, () => ann.save());
    const stored = await User.findOneOrFail(ann.id);
    assert.deepEqual([stored.name, stored.age], ["Annie", 99]);
    await env.db.executeNonQuery("update ar_users set is_active = ? where id = ?", [false, ann.id]);
    ann.name = "Ghost";
    await rejects(() => ann.save(), RecordNotFoundError, /not found/);
    assert.equal(await ann.delete(), false, "the extra condition kept the row");
    assert.equal(await User.query().count(), 1);
    assert.equal((await User.findOneOrFail(ann.id)).name, "Annie");
    const plain = await User.findOneOrFail(ann.id);
    assert.equal(await plain.delete(), true, "the base class's pipeline has no extra condition");
  },
);
