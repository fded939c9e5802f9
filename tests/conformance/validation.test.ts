import assert from "node:assert/strict";
import { ValidationError } from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

conformance("an invalid record throws ValidationError per field and writes nothing", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const sent = env.statements.length;
  const bad = new User({ name: "x".repeat(21), email: "nope", age: "old" as unknown as number });
  const error = await rejects(() => bad.save(), ValidationError);
  assert.deepEqual(error.errors, {
    name: ["is too long (maximum is 20 characters)"],
    email: ["must be an email"],
    age: ["must be an integer between -(2^53-1) and 2^53-1"],
  });
  assert.match(error.message, /^User is invalid: name is too long/);
  assert.equal(env.statements.length, sent, "no statement was sent");
  assert.equal(bad.isNewRecord, true);
  assert.equal(await User.query().count(), 0);
});

conformance("required, not-null and validate() without saving", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const missing = new User({ age: 3 });
  assert.deepEqual(await missing.validate(), { name: ["is required"], email: ["is required"] });
  const nulls = new User({
    name: null as unknown as string,
    email: "a@x.io",
    isActive: null as unknown as boolean,
  });
  assert.deepEqual(await nulls.validate(), { name: ["cannot be null"], isActive: ["cannot be null"] });
  assert.deepEqual(
    await new User({ name: "Ann", email: "a@x.io", age: null }).validate(),
    {},
    "age is nullable",
  );
  // Unicode counts characters, not UTF-16 units.
  assert.deepEqual(await new User({ name: "😀".repeat(20), email: "a@x.io" }).validate(), {});
  await rejects(() => User.create({ name: "Ann" } as never), ValidationError, /email is required/);
});

conformance("an invalid update throws and leaves the row as it was", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const u = await User.create({ name: "Ann", email: "a@x.io" });
  u.email = "broken";
  u.name = "Annie";
  const sent = env.statements.length;
  const error = await rejects(() => u.save(), ValidationError);
  assert.deepEqual(Object.keys(error.errors), ["email"]);
  assert.equal(env.statements.length, sent);
  const stored = await User.findOneOrFail(u.id);
  assert.equal(stored.email, "a@x.io");
  assert.equal(stored.name, "Ann");
  assert.equal(u.isDirty("name"), true, "the record keeps its unsaved changes");
});

conformance("insertMany validates every row first: one bad row, nothing inserted", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const sent = env.statements.length;
  const error = await rejects(
    () =>
      User.insertMany([
        { name: "Ann", email: "a@x.io" },
        { name: "Bob", email: "bob-at-x" },
        { name: "Cid", email: "c@x.io", age: 1.5 },
      ]),
    ValidationError,
  );
  assert.deepEqual(error.errors, {
    "1.email": ["must be an email"],
    "2.age": ["must be an integer between -(2^53-1) and 2^53-1"],
  });
  assert.equal(env.statements.length, sent);
  assert.equal(await User.query().count(), 0);
});

conformance("insertMany is all or nothing when the database refuses a row", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  await User.create({ name: "Ann", email: "taken@x.io" });
  const rows = Array.from(
    { length: 700 },
    (_, i) => ({ name: `u${i}`, email: i === 650 ? "taken@x.io" : `u${i}@x.io` }),
  );
  await assert.rejects(async () => await User.insertMany(rows));
  assert.equal(await User.query().count(), 1, "the first chunk was rolled back too");
});

conformance("updateAll and upsert validate their values", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  await User.create({ name: "Ann", email: "a@x.io" });
  const sent = env.statements.length;
  const error = await rejects(
    () => User.updateAll({ email: "nope", name: null as unknown as string }),
    ValidationError,
  );
  assert.deepEqual(error.errors, { email: ["must be an email"], name: ["cannot be null"] });
  await rejects(() => User.upsert({ name: "Bob", email: "bad" }, { conflict: ["email"] }), ValidationError);
  assert.equal(env.statements.length, sent);
  assert.equal((await User.findOneOrFail({ name: "Ann" })).email, "a@x.io");
});
