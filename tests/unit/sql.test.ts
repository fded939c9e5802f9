import assert from "node:assert/strict";
import {
  ArgumentError,
  column,
  defineSchema,
  MySQLDialect,
  PostgresDialect,
  snakeCase,
  sql,
  SQLiteDialect,
} from "../../mod.ts";
import { isMultiStatement, rawSql, splitPlaceholders } from "../../src/sql/placeholders.ts";
import { parseOrderTerm, parseQualified, parseSelectTerm } from "../../src/sql/identifier.ts";
import { compileFragment } from "../../src/sql/writer.ts";
import { createTableSql } from "../../src/dialect/ddl.ts";

const sqlite = new SQLiteDialect().lexRules;
const postgres = new PostgresDialect().lexRules;
const mysql = new MySQLDialect().lexRules;

Deno.test("placeholders: ? outside each dialect's quotes and comments only", () => {
  for (const rules of [sqlite, postgres, mysql]) {
    assert.deepEqual(splitPlaceholders("a = ? and b = ?", rules), ["a = ", " and b = ", ""]);
    assert.deepEqual(splitPlaceholders("x = 'it''s ?' -- why?\nand y = ? /* ? */", rules), [
      "x = 'it''s ?' -- why?\nand y = ",
      " /* ? */",
    ]);
    assert.deepEqual(splitPlaceholders("x ?? y = ?", rules), ["x ? y = ", ""], "?? is a literal ?");
  }
  // A backslash is text on SQLite and PostgreSQL, an escape in MySQL strings.
  for (const rules of [sqlite, postgres]) {
    assert.deepEqual(splitPlaceholders("select 'C:\\' as p, ?", rules), ["select 'C:\\' as p, ", ""]);
  }
  assert.deepEqual(splitPlaceholders("x = 'back\\'slash ?' and y = ?", mysql), [
    "x = 'back\\'slash ?' and y = ",
    "",
  ]);
  assert.deepEqual(splitPlaceholders('x = "dq ?" and `c?` = ? # why?', mysql), [
    'x = "dq ?" and `c?` = ',
    " # why?",
  ]);
  // PostgreSQL: E'' escapes, dollar quotes, nested comments, $n is code.
  assert.deepEqual(splitPlaceholders("E'it\\'s ?' || $$a ? 'b$$ || $t$?$t$ /* /* ? */ ? */ = ?", postgres), [
    "E'it\\'s ?' || $$a ? 'b$$ || $t$?$t$ /* /* ? */ ? */ = ",
    "",
  ]);
  assert.deepEqual(splitPlaceholders("data ??| array['a'] and x = ?", postgres), [
    "data ?| array['a'] and x = ",
    "",
  ]);
  // SQLite: [names] and `names`.
  assert.deepEqual(splitPlaceholders("select [a?], `b?` from t where c = ?", sqlite), [
    "select [a?], `b?` from t where c = ",
    "",
  ]);
  const d = new SQLiteDialect();
  assert.throws(() => compileFragment(rawSql("a = ?", []), d), ArgumentError);
  assert.equal(
    compileFragment(rawSql("a = ? and b = ?", [1, 2]), new PostgresDialect()).text,
    "a = $1 and b = $2",
  );
});

Deno.test("multi-statement detection ignores semicolons in literals and trailing ones", () => {
  assert.equal(isMultiStatement("select 1;", sqlite), false);
  assert.equal(isMultiStatement("select ';x'", sqlite), false);
  assert.equal(isMultiStatement("select 1; -- done", sqlite), false);
  assert.equal(isMultiStatement("create table a (x int); create table b (y int)", sqlite), true);
  assert.equal(isMultiStatement("select $$a; b$$", postgres), false);
});

Deno.test("identifiers: plain names only, with direction and alias forms", () => {
  assert.deepEqual(parseQualified("users.id", "t"), ["users", "id"]);
  assert.deepEqual(parseQualified("name", "t"), ["name"]);
  assert.throws(() => parseQualified("a.b.c", "t"), ArgumentError);
  assert.throws(() => parseQualified("1abc", "t"), ArgumentError);
  assert.deepEqual(parseOrderTerm("name DESC"), { name: "name", descending: true });
  assert.deepEqual(parseOrderTerm(" users.name "), { name: "users.name", descending: false });
  assert.throws(() => parseOrderTerm("name desc, id"), ArgumentError);
  assert.deepEqual(parseSelectTerm("users.email as contact"), { name: "users.email", alias: "contact" });
  assert.throws(() => parseSelectTerm("email contact extra"), ArgumentError);
});

Deno.test("naming: camelCase to snake_case", () => {
  assert.equal(snakeCase("isActive"), "is_active");
  assert.equal(snakeCase("userID"), "user_id");
  assert.equal(snakeCase("HTMLParser"), "html_parser");
  assert.equal(snakeCase("address2Line"), "address2_line");
  assert.equal(snakeCase("id"), "id");
});

Deno.test("sql tag: values become parameters, lists expand, identifiers are quoted", () => {
  const d = new SQLiteDialect();
  const { text, params } = compileFragment(
    sql`select ${sql.id("users", "name")} from users where id in ${[1, 2]} and ok = ${true} and x in ${[]}`,
    d,
  );
  assert.equal(text, 'select "users"."name" from users where id in (?, ?) and ok = ? and x in (NULL)');
  assert.deepEqual(params, [1, 2, 1]);
  assert.equal(compileFragment(sql.join([sql`a = ${1}`, sql`b = ${2}`], " AND "), d).text, "a = ? AND b = ?");
  assert.throws(() => sql.id("bad name"), ArgumentError);
  assert.equal(d.quote('we"ird'), '"we""ird"');
});

Deno.test("DDL: SQLite table from a schema", () => {
  const schema = defineSchema("posts", {
    id: column.integer().primaryKey(),
    title: column.text().maxLength(200).unique(),
    price: column.decimal(8, 2).default("0.00"),
    wide: column.decimal().nullable(),
    published: column.boolean().default(false),
    authorId: column.integer().references("users", "id", { onDelete: "cascade" }),
    createdAt: column.datetime().defaultNow(),
    tags: column.json<string[]>().default(() => []),
  });
  assert.equal(
    createTableSql(schema, new SQLiteDialect(), { ifNotExists: true }),
    `CREATE TABLE IF NOT EXISTS "posts" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "title" TEXT NOT NULL UNIQUE,
  "price" NUMERIC(8, 2) NOT NULL DEFAULT '0.00',
  "wide" TEXT,
  "published" INTEGER NOT NULL DEFAULT 0,
  "author_id" INTEGER NOT NULL,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "tags" TEXT NOT NULL,
  FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE
)`,
  );
  assert.throws(() => defineSchema("x; drop", { id: column.integer() }), ArgumentError);
  assert.throws(() => column.text().defaultNow(), ArgumentError);
  assert.throws(() => column.text().maxLength(0), ArgumentError);
});
