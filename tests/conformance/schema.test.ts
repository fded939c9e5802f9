import assert from "node:assert/strict";
import { column, defineSchema, QueryError } from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";

const notes = defineSchema("ar_notes", {
  id: column.integer().primaryKey(),
  noteTitle: column.text().column("title"),
  isPinned: column.boolean().default(false),
  body: column.text().nullable(),
});

const raw = defineSchema("ar_raw", { id: column.integer().primaryKey(), camelCase: column.text() }, {
  naming: "preserve",
});

conformance("createTable and dropTable honour ifNotExists / ifExists", async (env) => {
  const Note = await env.model(notes);
  await env.createTables(Note);
  await Note.createTable({ ifNotExists: true });
  await rejects(() => Note.createTable(), QueryError);
  await Note.dropTable();
  await Note.dropTable({ ifExists: true });
  await rejects(() => Note.dropTable(), QueryError);
  await Note.createTable();
});

conformance("column names follow the naming strategy or an explicit name", async (env) => {
  const Note = await env.model(notes);
  const Raw = await env.model(raw);
  await env.createTables(Note, Raw);
  await Note.create({ noteTitle: "hello", isPinned: true });
  const [row] = await env.db.execute<{ title: string; is_pinned: unknown }>(
    "select title, is_pinned from ar_notes",
  );
  assert.equal(row.title, "hello");
  assert.ok([1, true].includes(row.is_pinned as never), `is_pinned stored as true, got ${row.is_pinned}`);
  assert.equal(await Note.query().where({ noteTitle: "hello" }).count(), 1);
  assert.equal(await Note.query().where("title = ?", ["hello"]).count(), 1);
  await Raw.create({ camelCase: "kept" });
  assert.deepEqual(
    await env.db.execute(`select ${env.backend.dialect.quote("camelCase")} as v from ar_raw`),
    [{ v: "kept" }],
  );
  assert.equal(Note.tableName, "ar_notes");
});
