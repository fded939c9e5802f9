/**
 * Richer validation: Standard Schema objects (zod, valibot) as column checks, checks of the whole
 * record, async checks in async models (a uniqueness query in the caller's transaction), and
 * `undefined` meaning "not given".
 */
import assert from "node:assert/strict";
import { z } from "zod";
import * as v from "valibot";
import { ArgumentError, column, defineSchema, ValidationError } from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";
import { users } from "./fixtures.ts";

const accounts = defineSchema("ar_accounts", {
  id: column.integer().primaryKey(),
  email: column.text().validate(z.email("must be an email")),
  handle: column.text().validate(v.pipe(v.string(), v.regex(/^[a-z]+$/, "only lowercase letters"))),
  tags: column.json<string[]>().default(() => []).validate(z.array(z.string().max(5))),
});

conformance(
  "Standard Schema objects (zod, valibot) check columns; their issues are the messages",
  async (env) => {
    const Account = await env.model(accounts);
    await env.createTables(Account);
    const bad = new Account({ email: "nope", handle: "Ann1", tags: ["ok", "far too long"] });
    assert.deepEqual(await bad.validate(), {
      email: ["must be an email"],
      handle: ["only lowercase letters"],
      tags: ["1: Too big: expected string to have <=5 characters"],
    });
    const sent = env.statements.length;
    await rejects(() => bad.save(), ValidationError, /email must be an email/);
    assert.equal(env.statements.length, sent, "nothing is sent");
    const good = await Account.create({ email: "ann@x.io", handle: "ann", tags: ["a"] });
    assert.deepEqual((await Account.findOneOrFail(good.id)).tags, ["a"]);
    assert.throws(() => column.text().validate(42 as never), ArgumentError);
  },
);

const bookings = defineSchema("ar_bookings", {
  id: column.integer().primaryKey(),
  room: column.text(),
  startsAt: column.integer(),
  endsAt: column.integer(),
}, {
  validate: [
    (b) => b.endsAt > b.startsAt || { endsAt: "must be after startsAt" },
    (b) => b.room !== "closed" || "the room is closed",
  ],
});

conformance(
  "a record check sees the whole record: messages by field, or for the record (base)",
  async (env) => {
    const Booking = await env.model(bookings);
    await env.createTables(Booking);
    await rejects(
      () => Booking.create({ room: "a", startsAt: 10, endsAt: 5 }),
      ValidationError,
      /endsAt must be after startsAt/,
    );
    const closed = new Booking({ room: "closed", startsAt: 1, endsAt: 2 });
    assert.deepEqual(await closed.validate(), { base: ["the room is closed"] });
    assert.deepEqual(
      await new Booking({ room: "a", startsAt: 1 }).validate(),
      { endsAt: ["is required"] },
      "after the fields",
    );
    const ok = await Booking.create({ room: "a", startsAt: 1, endsAt: 2 });
    ok.endsAt = 0;
    await rejects(() => ok.save(), ValidationError, /endsAt must be after startsAt/);
    assert.equal((await Booking.findOneOrFail(ok.id)).endsAt, 2);
    assert.throws(
      () => defineSchema("x", { id: column.integer().primaryKey() }, { validate: 1 as never }),
      ArgumentError,
    );
  },
);

conformance(
  "async models: a check may be async, e.g. a uniqueness query in the caller's transaction",
  async (env) => {
    const Base = await env.model(users);
    await env.createTables(Base);
    const nameTaken = async (name: string, record: Readonly<Record<string, unknown>>) =>
      await Base.query().where({ name }).where("id <> ?", [record.id ?? -1]).exists() ? "is taken" : true;
    const unique = defineSchema("ar_users", {
      ...users.columns,
      name: users.columns.name.validate(nameTaken),
    });
    const User = await env.model(unique);
    await User.create({ name: "Ann", email: "a@x.io" });
    await rejects(() => User.create({ name: "Ann", email: "b@x.io" }), ValidationError, /name is taken/);
    await User.transaction(env.cb(function* () {
      yield User.create({ name: "Bob", email: "b@x.io" });
      const again = new User({ name: "Bob", email: "c@x.io" });
      const errors = yield again.validate();
      assert.deepEqual(errors, { name: ["is taken"] }, "the check saw the transaction's own row");
    }));
    assert.equal(await User.query().count(), 2);
  },
  { only: (target) => target.mode === "async" },
);

conformance("sync models: an async check is a TypeError, and nothing is written", async (env) => {
  const slow = defineSchema("ar_users", {
    ...users.columns,
    name: users.columns.name.validate(() => Promise.resolve(true as const)),
  });
  const User = await env.model(slow);
  await env.createTables(User);
  assert.throws(
    () => User.create({ name: "Ann", email: "a@x.io" }),
    (e: unknown) => e instanceof TypeError && /the check of ar_users.name returned a Promise/.test(e.message),
  );
  assert.equal(await User.query().count(), 0);
  const zodAsync = defineSchema("ar_users", {
    ...users.columns,
    email: column.text().validate(z.string().refine(() => Promise.resolve(true))),
  });
  const Async = await env.model(zodAsync);
  assert.throws(() => Async.create({ name: "Ann", email: "a@x.io" }), TypeError);
}, { requires: ["sync"] });

conformance("undefined means not given: defaults apply and required checks run", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const ann = new User({ name: "Ann", email: "a@x.io" });
  ann.isActive = undefined as unknown as boolean;
  await ann.save();
  assert.equal((await User.findOneOrFail(ann.id)).isActive, true, "the default applied at insert");
  const noName = new User({ name: "x", email: "b@x.io" });
  noName.name = undefined as unknown as string;
  await rejects(() => noName.save(), ValidationError, /name is required/);
  ann.name = undefined as unknown as string;
  await rejects(() => ann.save(), ValidationError, /name is required/);
  await ann.refresh();
  assert.equal(await User.updateAll({ age: 41, name: undefined }, { id: ann.id }), 1, "undefined is not set");
  const stored = await User.findOneOrFail(ann.id);
  assert.deepEqual([stored.name, stored.age], ["Ann", 41]);
  await rejects(() => User.updateAll({ name: undefined }), ArgumentError, /at least one value/);
});

conformance("bulk writes run the column checks too, async ones included", async (env) => {
  const checked = defineSchema("ar_users", {
    ...users.columns,
    name: users.columns.name.validate((name) => name !== "root" || "is reserved"),
  });
  const User = await env.model(checked);
  await env.createTables(User);
  await rejects(
    () => User.insertMany([{ name: "ok", email: "a@x.io" }, { name: "root", email: "b@x.io" }]),
    ValidationError,
    /1\.name is reserved/,
  );
  assert.equal(await User.query().count(), 0);
  await User.create({ name: "ok", email: "a@x.io" });
  await rejects(() => User.updateAll({ name: "root" }), ValidationError, /name is reserved/);
  await rejects(
    () => User.upsert({ name: "root", email: "a@x.io" }, { conflict: ["email"] }),
    ValidationError,
    /name is reserved/,
  );
  assert.deepEqual(await User.query().pluck("name"), ["ok"]);
});
