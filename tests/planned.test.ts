/**
 * Hot paths that run a planned statement without a flow (findOne by key, save, updateAll) behave as
 * the flows do, on the embedded backends with no query listener (where the async model answers
 * without awaiting): failures are rejections in async mode, and statements join the caller's
 * transaction or wait for someone else's.
 */
import assert from "node:assert/strict";
import {
  ArgumentError,
  AsyncActiveRecord,
  type Backend,
  column,
  defineSchema,
  RecordNotFoundError,
  ValidationError,
} from "../mod.ts";
import { serverContext, SQLiteBackend } from "../backends/sqlite.ts";
import { SqlJsBackend } from "../backends/sqljs.ts";

const items = defineSchema("planned_items", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(10),
  qty: column.integer(),
});

const backends: [string, () => Promise<Backend & { close(): unknown }>][] = [
  ["node:sqlite", () => Promise.resolve(new SQLiteBackend(":memory:"))],
  // With an async context, as on servers (browsers have none: there, outside queries join; documented).
  ["sql.js", () => SqlJsBackend.open({ context: serverContext })],
];

for (const [name, open] of backends) {
  Deno.test(`${name}: async hot paths reject, never throw, and leave nothing written`, async () => {
    const backend = await open();
    class Item extends AsyncActiveRecord.model(items) {}
    await Item.configure(backend);
    await Item.createTable();
    const a = await Item.create({ name: "a", qty: 1 });
    await Item.updateAll({ qty: 2 }, { id: a.id }); // the shape is now known: the next call is planned
    const calls: [() => Promise<unknown>, new (...args: never[]) => Error][] = [
      [() => Item.findOne("x" as never), ArgumentError],
      [() => Item.findOneOrFail(999), RecordNotFoundError],
      [() => Item.updateAll({ qty: "many" } as never, { id: a.id }), ValidationError],
      [() => Item.updateAll({ qty: 3 }, { id: "x" } as never), ArgumentError],
      [() => new Item({ name: "far too long a name", qty: 1 }).save(), ValidationError],
      [() => Item.create({ name: "b" } as never), ValidationError],
    ];
    for (const [call, type] of calls) {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => promise = call(), "a failure is a rejection, not a throw");
      assert.ok(promise instanceof Promise);
      await assert.rejects(promise!, type);
    }
    assert.deepEqual((await Item.query().orderBy("id").all()).map((i) => [i.name, i.qty]), [["a", 2]]);
    await backend.close();
  });

  Deno.test(`${name}: async hot paths join the caller's transaction and wait for another's`, async () => {
    const backend = await open();
    class Item extends AsyncActiveRecord.model(items) {}
    await Item.configure(backend);
    await Item.createTable();
    const a = await Item.create({ name: "a", qty: 1 });
    await Item.updateAll({ qty: 1 }, { id: a.id });
    let release!: () => void;
    const held = new Promise<void>((resolve) => release = resolve);
    let inside: Promise<unknown> | undefined;
    const transaction = Item.transaction(async () => {
      await Item.create({ name: "b", qty: 2 });
      await Item.updateAll({ qty: 5 }, { id: a.id });
      assert.equal((await Item.findOneOrFail(a.id)).qty, 5, "reads its own writes");
      inside = Promise.resolve();
      await held;
      throw new Error("undo");
    });
    while (!inside) await new Promise((resolve) => setTimeout(resolve, 1));
    // Outside the transaction: these wait for it (one connection), then see what it left: nothing.
    const outside = Promise.all([Item.findOne(a.id), Item.updateAll({ qty: 7 }, { id: a.id })]);
    release();
    await assert.rejects(transaction, /undo/);
    const [found, changed] = await outside;
    assert.equal(found?.qty, 1, "the rolled-back write was never seen outside");
    assert.equal(changed, 1);
    assert.deepEqual((await Item.query().orderBy("id").all()).map((i) => [i.name, i.qty]), [["a", 7]]);
    await backend.close();
  });
}
