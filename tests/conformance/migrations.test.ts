/**
 * Migrations on every backend x mode: the schema builder (SQLite rebuilds included), the runner (up,
 * down, status, checksums, the lock, failures), introspection and diff.
 */
import assert from "node:assert/strict";
import {
  column,
  defineMigration,
  defineSchema,
  MigrationError,
  Migrator,
  type Mode,
  type TableInfo,
} from "../../mod.ts";
import { conformance, type Env, rejects } from "./harness.ts";

const authors = defineSchema("m_authors", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(100),
  email: column.text().unique(),
});

const createAuthors = defineMigration({
  id: "001_create_authors",
  up: (m) => m.createTable(authors),
  down: (m) => m.dropTable("m_authors"),
});

const createBooks = defineMigration({
  id: "002_create_books",
  up(m) {
    m.createTable("m_books", {
      id: column.integer().primaryKey(),
      authorId: column.integer().references("m_authors", "id", { onDelete: "cascade" }),
      title: column.text(),
      pages: column.integer().nullable(),
    }, { indexes: [{ columns: ["title"] }] });
  },
  down: (m) => m.dropTable("m_books"),
});

const reshapeBooks = defineMigration({
  id: "003_reshape_books",
  up(m) {
    m.addColumn("m_books", "subtitle", column.text().nullable());
    m.addColumn("m_books", "rating", column.integer().default(0));
    m.renameColumn("m_books", "pages", "pageCount");
    m.alterColumn("m_books", "pageCount", column.integer().default(1));
    m.addIndex("m_books", ["title", "rating"], { unique: true });
    m.dropColumn("m_books", "subtitle");
  },
  down(m) {
    m.dropIndex("m_books", ["title", "rating"], { unique: true });
    m.alterColumn("m_books", "pageCount", column.integer().nullable());
    m.renameColumn("m_books", "pageCount", "pages");
    m.dropColumn("m_books", "rating");
  },
});

const renameBooks = defineMigration({
  id: "004_rename_books",
  up: (m) => m.renameTable("m_books", "m_volumes"),
  down: (m) => m.renameTable("m_volumes", "m_books"),
});

const all = [createAuthors, createBooks, reshapeBooks, renameBooks];

function migrator(env: Env, migrations = all): Migrator<Mode> {
  return new Migrator(env.db, { migrations });
}

/** The tables the migrations made, as introspection sees them (the records table aside). */
async function schemaOf(env: Env): Promise<TableInfo[]> {
  const tables = await migrator(env).introspect();
  return tables.filter((t) => t.name !== "ar_migrations");
}

conformance("up, down and up again leave the same schema, as introspection reads it", async (env) => {
  const runner = migrator(env);
  const report = await runner.up();
  assert.deepEqual(report.steps.map((s) => s.id), all.map((m) => m.id));
  assert.ok(report.steps.every((s) => s.direction === "up" && s.ms >= 0 && s.statements > 0));
  const first = await schemaOf(env);
  assert.deepEqual(first.map((t) => t.name), ["m_authors", "m_volumes"]);
  const volumes = first.find((t) => t.name === "m_volumes")!;
  assert.deepEqual(volumes.columns.map((c) => c.name), ["id", "author_id", "title", "page_count", "rating"]);
  assert.equal(volumes.columns.find((c) => c.name === "page_count")?.nullable, false);
  assert.ok(volumes.indexes.some((i) => i.unique && i.columns.join() === "title,rating"));
  assert.ok(volumes.indexes.some((i) => !i.unique && i.columns.join() === "title"));
  assert.deepEqual(volumes.foreignKeys.map((fk) => [fk.columns.join(), fk.table, fk.onDelete]), [
    ["author_id", "m_authors", "cascade"],
  ]);
  assert.deepEqual(await runner.up(), { steps: [], changed: [] }, "nothing left to do");
  const undone = await runner.down({ to: "001_create_authors" });
  assert.deepEqual(undone.steps.map((s) => s.id), [
    "004_rename_books",
    "003_reshape_books",
    "002_create_books",
  ]);
  const middle = await schemaOf(env);
  assert.deepEqual(middle.map((t) => t.name), ["m_authors"]);
  await runner.down();
  assert.deepEqual(await schemaOf(env), []);
  await runner.up({ to: "002_create_books" });
  const books = (await schemaOf(env)).find((t) => t.name === "m_books")!;
  assert.deepEqual(books.columns.map((c) => c.name), ["id", "author_id", "title", "pages"]);
  await runner.up();
  assert.deepEqual(await schemaOf(env), first, "the same schema as the first time");
});

conformance("rows survive renames, column changes and (SQLite) table rebuilds", async (env) => {
  const runner = migrator(env, [createAuthors, createBooks]);
  await runner.up();
  await env.db.executeNonQuery(
    "insert into m_authors (name, email) values ('Ann', 'a@x.io'), ('Bob', 'b@x.io')",
  );
  const ann = await env.db.executeScalar("select id from m_authors where name = 'Ann'");
  await env.db.executeNonQuery(
    "insert into m_books (author_id, title, pages) values (?, 'One', 10), (?, 'Two', null)",
    [
      ann,
      ann,
    ],
  );
  await migrator(env, [createAuthors, createBooks, reshapeBooks, renameBooks]).up();
  const rows = await env.db.execute("select title, page_count, rating from m_volumes order by title");
  assert.deepEqual(
    rows.map((r) => [r.title, Number(r.page_count), Number(r.rating)]),
    [["One", 10, 0], ["Two", 1, 0]],
    "NULL became the new default of a NOT NULL column",
  );
  await env.db.executeNonQuery("delete from m_authors where name = 'Ann'");
  assert.equal(
    Number(await env.db.executeScalar("select count(*) from m_volumes")),
    0,
    "the cascade survived",
  );
  await migrator(env).down({ to: "002_create_books" });
  assert.deepEqual(await env.db.execute("select * from m_books"), []);
});

conformance("status: applied, pending, changed (edited since) and missing (unknown here)", async (env) => {
  assert.deepEqual((await migrator(env).status()).map((s) => s.state), [
    "pending",
    "pending",
    "pending",
    "pending",
  ]);
  await migrator(env, [createAuthors, createBooks]).up();
  const edited = defineMigration({
    id: "002_create_books",
    up: (m) => m.createTable("m_books", { id: column.integer().primaryKey(), title: column.text() }),
    down: (m) => m.dropTable("m_books"),
  });
  const status = await migrator(env, [createAuthors, edited, reshapeBooks]).status();
  assert.deepEqual(status.map((s) => [s.id, s.state]), [
    ["001_create_authors", "applied"],
    ["002_create_books", "changed"],
    ["003_reshape_books", "pending"],
  ]);
  assert.ok(status[0].appliedAt instanceof Date);
  const report = await migrator(env, [createAuthors, edited]).up();
  assert.deepEqual(report.changed, ["002_create_books"], "up() reports the edited migration");
  const missing = await migrator(env, [createAuthors]).status();
  assert.deepEqual(missing.map((s) => [s.id, s.state]), [["001_create_authors", "applied"], [
    "002_create_books",
    "missing",
  ]]);
  await rejects(
    () => migrator(env, [createAuthors]).down(),
    MigrationError,
    /not among the migrations given/,
  );
});

conformance("a failing migration leaves the recorded state true, and says what ran", async (env) => {
  const broken = defineMigration({
    id: "002_broken",
    up(m) {
      m.createTable("m_partial", { id: column.integer().primaryKey() });
      m.execute("insert into m_nowhere (x) values (?)", [1]);
    },
    down: (m) => m.dropTable("m_partial"),
  });
  const runner = migrator(env, [createAuthors, broken]);
  const error = await rejects(() => runner.up(), MigrationError, /migration 002_broken \(up\) failed/);
  assert.equal(error.migration, "002_broken");
  assert.equal(error.statements.length, 1, "the CREATE TABLE ran before the failure");
  assert.deepEqual((await runner.status()).map((s) => s.state), ["applied", "pending"]);
  const partial = (await schemaOf(env)).some((t) => t.name === "m_partial");
  const transactional = env.target.name.startsWith("mysql") ? false : true;
  assert.equal(partial, !transactional, transactional ? "rolled back with the migration" : "MySQL keeps DDL");
  if (!transactional) assert.match(error.message, /these statements ran and stay/);
});

conformance("two runners at once never both apply a migration", async (env) => {
  const first = migrator(env);
  const second = new Migrator(env.db, { migrations: all });
  const [a, b] = await Promise.all([first.up(), second.up()]);
  const applied = [...a.steps, ...b.steps].map((s) => s.id).sort();
  assert.deepEqual(applied, all.map((m) => m.id), "each migration once, by one runner or the other");
  assert.equal(Number(await env.db.executeScalar("select count(*) from ar_migrations")), all.length);
}, { only: (target) => target.mode === "async" });

conformance(
  "diff lists what the live tables lack of the schemas, and nothing once they match",
  async (env) => {
    await migrator(env, [createAuthors, createBooks]).up();
    const books = defineSchema("m_books", {
      id: column.integer().primaryKey(),
      authorId: column.integer().references("m_authors"),
      title: column.text(),
      pages: column.text().nullable(),
      isbn: column.text().unique(),
    });
    const nope = defineSchema("m_nope", { id: column.integer().primaryKey() });
    const differences = await migrator(env).diff([authors, books, nope]);
    assert.deepEqual(differences.map((d) => [d.table, d.column ?? "", d.kind]), [
      ["m_books", "pages", "type"],
      ["m_books", "isbn", "missing column"],
      ["m_nope", "", "missing table"],
    ]);
    assert.match(differences[0].message, /m_books\.pages is .*, the schema says/);
    const fewer = defineSchema("m_books", { id: column.integer().primaryKey(), title: column.text() });
    assert.deepEqual((await migrator(env).diff([fewer])).map((d) => [d.column, d.kind]), [
      ["author_id", "extra column"],
      ["pages", "extra column"],
    ]);
    const fix = defineMigration({
      id: "003_fix",
      up(m) {
        m.alterColumn("m_books", "pages", column.text().nullable());
        m.addColumn("m_books", "isbn", column.text().nullable());
        m.alterColumn("m_books", "isbn", column.text().unique().default(""));
        m.addIndex("m_books", "isbn", { unique: true });
      },
    });
    await migrator(env, [createAuthors, createBooks, fix]).up();
    assert.deepEqual(await migrator(env).diff([authors, books]), []);
    await rejects(
      () => migrator(env, [createAuthors, createBooks, fix]).down(),
      MigrationError,
      /has no down/,
    );
  },
);

conformance("bad migrations and bad requests are typed errors", async (env) => {
  assert.throws(() => defineMigration({ id: "bad id!", up: () => {} }), /a migration id is/);
  assert.throws(() => defineMigration({ id: "x", up: "no" as never }), /up\(m\) must be a function/);
  assert.throws(
    () => new Migrator(env.db, { migrations: [createAuthors, createAuthors] }),
    /two migrations have the id/,
  );
  assert.throws(() => new Migrator({} as never, { migrations: [] }), /takes a connection/);
  await rejects(() => migrator(env).up({ to: "999_nope" }), MigrationError, /there is no migration/);
  const describeFails = defineMigration({
    id: "001_describe",
    up: (m) => m.addColumn("m_authors", "x", "not a column" as never),
  });
  await rejects(() => migrator(env, [describeFails]).up(), MigrationError, /failed to describe its changes/);
});
