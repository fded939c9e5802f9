/**
 * Compile-time checks of the public types: `deno check` fails if an inferred type drifts. The test
 * body also runs, against a real in-memory database, so that nothing here is dead code.
 */
import assert from "node:assert/strict";
import {
  type ActiveQuery,
  ActiveRecord,
  AsyncActiveRecord,
  column,
  defineSchema,
  type ModelBase,
  type Page,
  relations,
  type StandardSchema,
  type Transaction,
} from "../../mod.ts";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { SQLiteBackend } from "../../backends/sqlite.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T>(_value: T): void {}
function same<A, B>(_proof: Equal<A, B>): void {}

const users = defineSchema("t_users", {
  id: column.integer().primaryKey(),
  name: column.text(),
  age: column.integer().nullable(),
  big: column.bigint().default(0n),
  tags: column.json<string[]>().default(() => []),
  at: column.datetime().defaultNow(),
  price: column.decimal(10, 2).default("0"),
  opensAt: column.time().nullable(),
});

function withGreeting<B extends ModelBase<typeof users.columns>>(Base: B) {
  abstract class Greeting extends Base {
    greet(): string {
      return `hi ${this.name}`;
    }
  }
  return Greeting;
}

class User extends withGreeting(ActiveRecord.model(users)) {}
class AsyncUser extends withGreeting(AsyncActiveRecord.model(users)) {}

Deno.test("types: fields, results and modes are inferred from the schema", async () => {
  using backend = new SQLiteBackend(":memory:");
  User.configure(backend);
  await AsyncUser.configure(backend);
  User.createTable();

  const u = User.create({ name: "Ann" }); // id, age, big, tags, at may be left out
  same<typeof u, User>(true);
  same<typeof u.name, string>(true);
  same<typeof u.age, number | null>(true);
  same<typeof u.big, bigint>(true);
  same<typeof u.tags, string[]>(true);
  same<typeof u.at, Date>(true);
  expectType<string>(u.greet());

  const found = User.findOne(u.id);
  same<typeof found, User | undefined>(true);
  const asyncFound = AsyncUser.findOne(u.id);
  same<typeof asyncFound, Promise<AsyncUser | undefined>>(true);
  const asyncAll = AsyncUser.findAll({ age: null });
  same<typeof asyncAll, Promise<AsyncUser[]>>(true);

  const q = User.query().where({ age: [1, 2], name: "Ann" });
  same<typeof q, ActiveQuery<"sync", User, typeof users.columns>>(true);
  same<ReturnType<typeof q.all>, User[]>(true);
  const count = q.count();
  same<typeof count, number>(true);
  same<typeof q.count extends (c: string, a: string) => infer R ? R : never, typeof q>(true);
  same<ReturnType<typeof q.pluck<"age">>, (number | null)[]>(true);
  same<ReturnType<typeof q.paginate>, Page<User>>(true);
  const total = q.sum("price");
  same<typeof total, string | null>(true);
  same<ReturnType<typeof q.sum<"age">>, number | null>(true);
  same<typeof u.opensAt, string | null>(true);
  assert.equal(User.query().sum("price"), "0.00");
  const exists = AsyncUser.query().exists();
  same<typeof exists, Promise<boolean>>(true);
  await Promise.all([asyncAll, exists]);

  const n = User.transaction((tx) => {
    same<typeof tx, Transaction<"sync">>(true);
    return 1;
  });
  same<typeof n, number>(true);
  const m = AsyncUser.transaction(async (tx) => {
    same<typeof tx, Transaction<"async">>(true);
    return await Promise.resolve("x");
  });
  same<typeof m, Promise<string>>(true);
  assert.equal(await m, "x");

  // @ts-expect-error: name is required on create
  assert.throws(() => User.create({}));
  // @ts-expect-error: unknown field in a where object
  assert.throws(() => User.query().where({ nope: 1 }));
  // @ts-expect-error: wrong value type
  assert.throws(() => User.query().where({ age: "old" }));
  assert.equal(found?.greet(), "hi Ann");
});

Deno.test("types: with() narrows records to their loaded relations; misspelt names do not compile", () => {
  const people = defineSchema("t_people", { id: column.integer().primaryKey(), name: column.text() });
  const notes = defineSchema("t_notes", {
    id: column.integer().primaryKey(),
    authorId: column.integer().references("t_people"),
    body: column.text(),
  });
  const rel = relations({ people, notes }, (r) => ({
    people: { notes: r.hasMany("notes") },
    notes: { author: r.belongsTo("people") },
  }));
  class Person extends ActiveRecord.model(rel.people) {}
  class Note extends ActiveRecord.model(rel.notes) {}
  class AsyncNote extends AsyncActiveRecord.model(rel.notes) {}
  using backend = new SQLiteBackend(":memory:");
  Person.configure(backend);
  Note.configure(backend);
  Person.createTable();
  Note.createTable();
  const ann = Person.create({ name: "Ann" });
  Note.create({ authorId: ann.id, body: "hi" });

  const [note] = Note.query().with("author").all();
  same<typeof note.author extends { name: string } | null ? true : false, true>(true);
  assert.equal(note.author?.name, "Ann");
  const [person] = Person.query().with("notes.author").withCount("notes").all();
  same<typeof person.notes extends readonly unknown[] ? true : false, true>(true);
  same<typeof person.notesCount, number>(true);
  expectType<string | undefined>(person.notes[0]?.author?.name);
  assert.equal(person.notes[0].author?.name, "Ann");
  assert.equal(person.notesCount, 1);
  const pending = () => AsyncNote.query().with("author").first();
  expectType<() => Promise<unknown>>(pending);
  const plain = Note.query().first()!;
  // @ts-expect-error: not loaded, so not typed (and a StrictLoadingError at run time)
  assert.throws(() => plain.author);
  // @ts-expect-error: a misspelt relation is a compile error
  assert.throws(() => Note.query().with("autor"));
  // @ts-expect-error: and so is a misspelt path
  assert.throws(() => Person.query().with("notes.writer"));
});

Deno.test("types: a Standard Schema of the spec's own types is accepted by .validate()", () => {
  // Any StandardSchemaV1 (what zod, valibot and arktype implement) fits the structural StandardSchema.
  const spec: StandardSchemaV1<string> = {
    "~standard": {
      version: 1,
      vendor: "test",
      validate: (value) => typeof value === "string" ? { value } : { issues: [{ message: "not a string" }] },
    },
  };
  const accepted: StandardSchema = spec;
  const checked = column.text().validate(accepted);
  assert.equal(checked.spec.validators.length, 1);
  // @ts-expect-error: a schema of another spec version is not a Standard Schema V1
  const other: StandardSchema = { "~standard": { version: 2, vendor: "x", validate: () => ({}) } };
  assert.ok(other);
});
