import assert from "node:assert/strict";
import { ActiveQuery, ActiveRecord, AsyncActiveRecord } from "../../mod.ts";
import { conformance } from "./harness.ts";
import { users } from "./fixtures.ts";

const ownMembers = (object: object) =>
  Object.getOwnPropertyNames(object).filter((name) =>
    !["length", "name", "prototype", "caller", "arguments"].includes(name)
  );

Deno.test("ActiveRecord and AsyncActiveRecord offer the same static and instance members", () => {
  const sync = ActiveRecord.model(users);
  const async = AsyncActiveRecord.model(users);
  const statics = (cls: object) => {
    const names = new Set<string>();
    for (let c = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      ownMembers(c).forEach((n) => names.add(n));
    }
    return [...names].sort();
  };
  assert.deepEqual(statics(sync), statics(async));
  for (
    const name of [
      "configure",
      "findOne",
      "findOneOrFail",
      "findAll",
      "findBySql",
      "create",
      "insertMany",
      "updateAll",
      "deleteAll",
      "upsert",
      "transaction",
      "begin",
      "createTable",
      "dropTable",
      "query",
    ]
  ) {
    assert.ok(statics(sync).includes(name), `static ${name}`);
  }
  const instance = (cls: { prototype: object }) => {
    const names = new Set<string>();
    for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      Object.getOwnPropertyNames(p).forEach((n) => names.add(n));
    }
    return [...names].sort();
  };
  assert.deepEqual(instance(sync), instance(async));
  for (
    const name of [
      "save",
      "delete",
      "refresh",
      "validate",
      "isNewRecord",
      "isDirty",
      "dirtyFields",
      "toJSON",
      "name",
      "email",
    ]
  ) {
    assert.ok(instance(sync).includes(name), `instance ${name}`);
  }
  assert.ok(ownMembers(ActiveQuery.prototype).includes("aggregate"));
});

conformance("sync models return values; async models return Promises", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const results: unknown[] = [
    User.create({ name: "Ann", email: "a@x.io" }),
    User.findOne(1),
    User.findAll(),
    User.query().where({ name: "Ann" }).all(),
    User.query().count(),
    User.query().exists(),
    User.query().pluck("name"),
    User.query().groupBy("name").count("id", "n").aggregate(),
    User.transaction(() => 1),
  ];
  for (const result of results) {
    assert.equal(result instanceof Promise, env.mode === "async");
    await result;
  }
});
