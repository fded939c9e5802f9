import assert from "node:assert/strict";
import { ActiveRecord, ArgumentError, column, defineSchema } from "../../mod.ts";

const people = defineSchema("people", {
  id: column.integer().primaryKey(),
  name: column.text(),
  nick: column.text().nullable().default("none"),
  tags: column.json().default(() => []),
  uid: column.uuid().nullable(),
});
class Person extends ActiveRecord.model(people) {}

Deno.test("new records get their attributes whatever the order and set of keys, call after call", () => {
  // Shapes that repeat, grow, shrink and reorder: each record must hold exactly its own attributes.
  const inputs: Record<string, unknown>[] = [
    { name: "a", nick: "x" },
    { name: "b", nick: "y" },
    { nick: "z", name: "c" },
    { name: "d" },
    { name: "e", nick: "w", uid: "0b6f3c2e-8f4a-4d1e-9c7b-2a5e6f708192" },
    { name: "f", nick: undefined },
    { id: 7, name: "g", nick: "v" },
    { name: "h", nick: "u" },
  ];
  for (let round = 0; round < 3; round++) {
    for (const input of inputs) {
      const p = new Person(input as never);
      const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      assert.deepEqual(
        { id: p.id, name: p.name, nick: p.nick, uid: p.uid },
        { id: undefined, nick: "none", uid: undefined, ...given },
      );
    }
  }
  const a = new Person({ name: "a" });
  const b = new Person({ name: "b" });
  assert.notEqual(a.tags, b.tags, "a default made by a function is made per record");
  assert.throws(() => new Person({ name: "a", nope: 1 } as never), ArgumentError);
  assert.throws(() => new Person({ nope: 1, name: "a" } as never), ArgumentError);
  assert.equal(new Person({ name: "still fine" }).name, "still fine");
});

Deno.test("attributes inherited from a prototype are not taken", () => {
  const proto = { nick: "inherited" };
  const input = Object.assign(Object.create(proto), { name: "own" });
  const p = new Person(input);
  assert.deepEqual([p.name, p.nick], ["own", "none"]);
});
