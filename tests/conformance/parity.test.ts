import assert from "node:assert/strict";
import { ActiveQuery, ActiveRecord, AsyncActiveRecord, type ModelBase } from "../../mod.ts";
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

// One set of custom methods for the sync and the async model of a schema.
function withProfile<B extends ModelBase<typeof users.columns>>(Base: B) {
  abstract class Profile extends Base {
    get label(): string {
      return `${this.name} <${this.email}>`;
    }
    /** Mode-neutral: returns whatever `save()` returns (a value or a Promise). */
    rename(name: string): ReturnType<this["save"]> {
      this.name = name;
      return this.save() as ReturnType<this["save"]>;
    }
  }
  return Profile;
}

conformance("custom methods are shared by the sync and async class through a mixin", async (env) => {
  const Base = env.mode === "sync" ? ActiveRecord.model(users) : AsyncActiveRecord.model(users);
  const User = withProfile(Base as ReturnType<typeof ActiveRecord.model<typeof users.columns>>);
  class Person extends User {}
  await Person.configure(env.backend);
  await Person.dropTable({ ifExists: true });
  await Person.createTable();
  try {
    const ann = await Person.create({ name: "Ann", email: "ann@x.io" });
    assert.ok(ann instanceof Person);
    assert.equal(ann.label, "Ann <ann@x.io>");
    await ann.rename("Annie");
    const loaded = await Person.findOneOrFail(ann.id);
    assert.equal(loaded.label, "Annie <ann@x.io>");
    assert.ok(loaded instanceof Person);
  } finally {
    await Person.dropTable();
  }
});
