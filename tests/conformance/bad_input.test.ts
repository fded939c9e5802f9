import assert from "node:assert/strict";
import {
  ActiveRecord,
  ArgumentError,
  AsyncActiveRecord,
  column,
  ConfigurationError,
  defineSchema,
  QueryError,
  sql,
  ValidationError,
} from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";
import { everything, users } from "./fixtures.ts";

conformance("bad query input is an ArgumentError before any SQL runs", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const sent = env.statements.length;
  const q = User.query();
  const cases: [string, () => unknown, RegExp][] = [
    ["unknown where key", () => q.where({ nope: 1 } as never).all(), /ar_users has no column "nope"/],
    [
      "where value of the wrong type",
      () => q.where({ age: "old" } as never).all(),
      /ar_users\.age must be an integer/,
    ],
    ["undefined where value", () => q.where({ age: undefined }).all(), /undefined; use null/],
    ["orderBy injection", () => q.orderBy("name; drop table ar_users"), /orderBy expects a column name/],
    ["orderBy expression", () => q.orderBy("length(name)"), /use the sql tag/],
    ["orderBy unknown column", () => q.orderBy("nope"), /has no column "nope"/],
    ["orderBy bad direction", () => q.orderBy("name", "sideways" as never), /"asc" or "desc"/],
    ["select expression", () => q.select("count(*)"), /select expects a column name/],
    ["select unknown table", () => q.select("other.id"), /neither ar_users nor a joined table/],
    ["groupBy injection", () => q.groupBy("name) or (1=1"), /must be a column name/],
    ["negative limit", () => q.limit(-1), /limit must be a non-negative integer/],
    ["fractional limit", () => q.limit(1.5), /limit must be a non-negative integer/],
    ["NaN offset", () => q.offset(NaN), /offset must be a non-negative integer/],
    [
      "too few params",
      () => q.where("age > ? and name = ?", [1]).all(),
      /2 placeholder\(s\) but 1 parameter/,
    ],
    ["too many params", () => q.where("age > ?", [1, 2]).all(), /1 placeholder\(s\) but 2 parameter/],
    ["undefined param", () => q.where("age > ?", [undefined]).all(), /parameter 1 is undefined/],
    ["fragment with params", () => q.where(sql`age > ${1}`, [2]).all(), /carries its own parameters/],
    ["key of the wrong type", () => User.findOne("abc"), /key of ar_users must be an integer/],
    ["page 0", () => q.paginate(0, 10), /page must be an integer >= 1/],
    ["join injection", () => q.join("ar_posts; drop", "1 = 1"), /must be a plain identifier|select expects/],
    ["aggregate alias", () => q.groupBy("name").count("id", "n; drop"), /alias must be a plain identifier/],
    ["scalar over groups", () => q.groupBy("name").count(), /ambiguous/],
    ["empty updateAll", () => User.updateAll({}), /at least one value/],
    ["unknown updateAll field", () => User.updateAll({ nope: 1 } as never), /has no column "nope"/],
    ["raw statement of another type", () => env.db.execute(42 as never), /expected SQL text/],
  ];
  for (const [label, action, message] of cases) {
    await rejects(action, ArgumentError, message).catch((e) => {
      throw new Error(`${label}: ${e.message}`);
    });
  }
  assert.equal(env.statements.length, sent, "no statement reached the database");
});

conformance("a model used before configure is a ConfigurationError", async (env) => {
  const schema = defineSchema("ar_unconfigured", { id: column.integer().primaryKey(), name: column.text() });
  const Base = env.mode === "sync" ? ActiveRecord : AsyncActiveRecord;
  class Lonely extends (Base.model(schema) as unknown as typeof ActiveRecord & (new () => ActiveRecord)) {}
  const L = Lonely as unknown as ReturnType<typeof ActiveRecord.model<typeof schema.columns>>;
  await rejects(() => L.findOne(1), ConfigurationError, /Lonely is not configured: call Lonely.configure/);
  await rejects(() => L.query().all(), ConfigurationError, /not configured/);
  await rejects(() => new L({ name: "x" }).save(), ConfigurationError, /not configured/);
  await rejects(() => L.transaction(() => {}), ConfigurationError, /not configured/);
  assert.throws(() => L.backend, ConfigurationError);
});

conformance("a sync model on an async-only backend fails at configure", async (env) => {
  const asyncOnly = { dialect: env.backend.dialect, sync: undefined, async: env.backend.async, close() {} };
  class SyncUser extends ActiveRecord.model(users) {}
  await rejects(() => SyncUser.configure(asyncOnly), ConfigurationError, /answers only asynchronously/);
  await rejects(() => SyncUser.findOne(1), ConfigurationError, /not configured/);
  class AsyncUser extends AsyncActiveRecord.model(users) {}
  await AsyncUser.configure(asyncOnly); // fine for the async base
  await rejects(
    () => SyncUser.configure("nosuch::memory:"),
    ConfigurationError,
    /no backend is registered for "nosuch:"/,
  );
  await rejects(() => SyncUser.configure({} as never), ConfigurationError, /expects a backend/);
});

conformance("field names that would hide the model API are rejected", async (env) => {
  const Base = env.mode === "sync" ? ActiveRecord : AsyncActiveRecord;
  for (const name of ["save", "toJSON", "isDirty", "dirtyFields", "attribute"]) {
    const schema = defineSchema("ar_bad", { id: column.integer().primaryKey(), [name]: column.text() });
    await rejects(() => Base.model(schema), ArgumentError, new RegExp(`cannot be named ${name}`));
  }
});

conformance(
  "only plain objects are conditions: a Map, a Date or a class instance never means every row",
  async (env) => {
    const User = await env.model(users);
    await env.createTables(User);
    await User.insertMany([{ name: "Ann", email: "a@x.io" }, { name: "Bob", email: "b@x.io" }]);
    class Filter {
      id = 1;
    }
    const sent = env.statements.length;
    const attempts: [string, () => unknown][] = [
      ["deleteAll(Map)", () => User.deleteAll(new Map([["id", 1]]) as never)],
      ["where(Date)", () => User.query().where(new Date() as never).all()],
      ["findAll(instance)", () => User.findAll(new Filter() as never)],
      ["findOne(Map)", () => User.findOne(new Map() as never)],
      ["updateAll(Map)", () => User.updateAll(new Map([["age", 1]]) as never)],
      ["updateAll where instance", () => User.updateAll({ age: 1 }, new Filter() as never)],
      ["orWhere(array)", () => User.query().orWhere([1] as never).all()],
    ];
    for (const [label, attempt] of attempts) {
      await rejects(attempt, ArgumentError, /plain object/).catch((e) => {
        throw new Error(`${label}: ${e.message}`);
      });
    }
    assert.equal(env.statements.length, sent, "nothing was sent");
    assert.equal(await User.query().count(), 2, "no row deleted");
    assert.equal(await User.query().whereNotNull("age").count(), 0, "no row updated");
  },
);

conformance("a polluted Object.prototype becomes neither attributes nor conditions", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  Object.defineProperty(Object.prototype, "isActive", { value: false, enumerable: true, configurable: true });
  Object.defineProperty(Object.prototype, "polluted", { value: 1, enumerable: true, configurable: true });
  try {
    const ann = await User.create({ name: "Ann", email: "a@x.io" });
    await User.create({ name: "Bob", email: "b@x.io" });
    assert.equal(ann.isActive, true, "the default, not the inherited value");
    assert.equal((await User.findAll({ name: "Ann" })).length, 1);
    assert.equal(await User.updateAll({ age: 5 }, { name: "Ann" }), 1);
    assert.equal(await User.deleteAll({ name: "Bob" }), 1);
  } finally {
    delete (Object.prototype as Record<string, unknown>).isActive;
    delete (Object.prototype as Record<string, unknown>).polluted;
  }
  assert.deepEqual(await User.query().pluck("age"), [5]);
});

conformance("values a database would change are refused, never rewritten", async (env) => {
  const Row = await env.model(everything);
  await env.createTables(Row);
  const invalid: [Record<string, unknown>, Record<string, string[]>][] = [
    [{ text: "cut\0here" }, { text: ["cannot contain NUL characters"] }],
    [{ text: "lone \ud800 surrogate" }, {
      text: ["must be well-formed Unicode (it holds a lone surrogate)"],
    }],
    [{ big: 2n ** 63n }, { big: ["must fit in 64 bits"] }],
  ];
  for (const [attributes, errors] of invalid) {
    const error = await rejects(() => Row.create(attributes), ValidationError);
    assert.deepEqual(error.errors, errors);
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const doc of [cyclic, { n: 1n }, { s: "nul\0" }, ["\udc00"]]) {
    await rejects(() => Row.create({ doc: doc as never }), ArgumentError, /JSON/);
  }
  const raw: [unknown, RegExp][] = [
    ["nul\0", /NUL character/],
    ["\ud800", /lone surrogate/],
    [-(2n ** 63n) - 1n, /64-bit range/],
    [new Date(NaN), /invalid Date/],
    [{ cyclic }, /JSON/],
  ];
  for (const [value, message] of raw) {
    await rejects(() => env.db.execute("select ? as v", [value]), ArgumentError, message);
  }
  assert.equal(await Row.query().count(), 0, "nothing was written");
  await rejects(() => Row.query().paginate(2 ** 52, 4), ArgumentError, /beyond 2\^53/);
});

conformance("an integer() column holding more than 2^53 is a QueryError on every backend", async (env) => {
  const Row = await env.model(everything);
  await env.createTables(Row);
  await env.db.executeNonQuery(sql`insert into ar_types (id, ${sql.id("int")}) values (1, ${2n ** 60n})`);
  await rejects(() => Row.findOne(1), QueryError, /beyond ±\(2\^53-1\): declare it column.bigint\(\)/);
  await rejects(() => Row.query().pluck("int"), QueryError, /beyond/);
  const error = await rejects(() => Row.findOne(1), QueryError);
  assert.ok(!Deno.inspect(error, { depth: 5 }).includes("1152921504606846976"), "the value is not printed");
});

conformance("stored text that is not JSON (written by raw SQL) reads as a QueryError", async (env) => {
  const Row = await env.model(everything);
  await env.createTables(Row);
  await env.db.executeNonQuery("insert into ar_types (id, doc, big) values (1, ?, ?)", ["hunter2 {", "12x"]);
  const error = await rejects(() => Row.findOne(1), QueryError, /not (JSON|an integer)/);
  assert.ok(!Deno.inspect(error, { depth: 5 }).includes("hunter2"));
}, { requires: ["sqlite"] });
