-- where object, order, limit
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" WHERE "users"."name" = ? AND "users"."age" IN (?, ?) ORDER BY "users"."name" ASC LIMIT 5
-- params: ["Ann",30,40]

-- raw where, or, null, offset
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" WHERE (age > ?) OR ("users"."age" IS NULL) LIMIT -1 OFFSET 10
-- params: [3]

-- whereIn empty, whereNotNull
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" WHERE (1 = 0) AND ("users"."email" IS NOT NULL)

-- join, select with alias, distinct
SELECT DISTINCT "users"."name", "p"."title" FROM "users" INNER JOIN "posts" AS "p" ON p.user_id = users.id

-- group, aggregates, having
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" GROUP BY "users"."is_active" HAVING count(id) > ?
-- params: [1]

-- for update
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" WHERE "users"."id" = ?
-- params: [1]

-- sql fragment and ?? literal
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" WHERE (age > ?) AND (name ? ?)
-- params: [18,"x"]

-- find by key
SELECT "id", "name", "email", "age", "is_active", "created_at" FROM "users" WHERE "id" = ?

-- insert one
INSERT INTO "users" ("name", "email", "age", "is_active", "created_at") VALUES (?, ?, ?, ?, ?)

-- insert one returning the key
INSERT INTO "users" ("name", "email", "age", "is_active", "created_at") VALUES (?, ?, ?, ?, ?) RETURNING "id"

-- insert three rows
INSERT INTO "users" ("name", "email") VALUES (?, ?), (?, ?), (?, ?)

-- insert defaults only
INSERT INTO "users" DEFAULT VALUES

-- update by key
UPDATE "users" SET "name" = ?, "email" = ? WHERE "id" = ?

-- update with an extra condition
UPDATE "users" SET "name" = ? WHERE "id" = ? AND ("lock_version" = ?)
-- params: [3]

-- delete by key
DELETE FROM "users" WHERE "id" = ?

-- upsert on email
INSERT INTO "users" ("name", "email") VALUES (?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name"

-- update all
UPDATE "users" SET "is_active" = ? WHERE "age" > ?
-- params: [0,30]

-- create table users
CREATE TABLE "users" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "name" TEXT NOT NULL,
  "email" TEXT NOT NULL UNIQUE,
  "age" INTEGER,
  "is_active" INTEGER NOT NULL DEFAULT 1,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)

-- create table kinds
CREATE TABLE IF NOT EXISTS "kinds" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "big" INTEGER NOT NULL,
  "real" REAL,
  "money" NUMERIC(12, 2) NOT NULL DEFAULT '0',
  "wide" TEXT,
  "flag" INTEGER NOT NULL DEFAULT 0,
  "day" TEXT NOT NULL DEFAULT (date('now')),
  "clock" TEXT,
  "doc" TEXT,
  "blob" BLOB,
  "owner_id" INTEGER NOT NULL,
  FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON DELETE CASCADE
)

-- limit and offset
 LIMIT -1 OFFSET 20

-- begin {}
BEGIN IMMEDIATE

-- begin {"readOnly":true}
BEGIN DEFERRED;
PRAGMA query_only = ON

-- begin {"isolation":"serializable"}
BEGIN IMMEDIATE

-- savepoints
SAVEPOINT "a";
RELEASE SAVEPOINT "a";
ROLLBACK TO SAVEPOINT "a"

-- error sqlite unique
UniqueViolationError (SQLite: for key 'users.email')

-- error sqlite busy
LockTimeoutError (SQLite: for key 'users.email')

-- error sqlstate unique
QueryError (SQLite: for key 'users.email')

-- error sqlstate deadlock
QueryError (SQLite: for key 'users.email')

-- error sqlstate canceled
QueryError (SQLite: for key 'users.email')

-- error errno duplicate
QueryError (SQLite: for key 'users.email')

-- error errno lock wait
QueryError (SQLite: for key 'users.email')

-- error errno interrupted
QueryError (SQLite: for key 'users.email')
