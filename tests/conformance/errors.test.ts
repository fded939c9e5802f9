import assert from "node:assert/strict";
import {
  CheckViolationError,
  DatabaseError,
  ForeignKeyViolationError,
  IntegrityError,
  NotNullViolationError,
  QueryError,
  UniqueViolationError,
} from "../../mod.ts";
import { conformance, rejects } from "./harness.ts";
import { posts, users } from "./fixtures.ts";

conformance("unique violations name the table and column and keep the driver error", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  await User.create({ name: "Ann", email: "secret-value@x.io" });
  const error = await rejects(
    () => User.create({ name: "Bob", email: "secret-value@x.io" }),
    UniqueViolationError,
  );
  assert.ok(error instanceof IntegrityError && error instanceof DatabaseError);
  assert.equal(error.table, "ar_users");
  assert.equal(error.column, "email");
  assert.ok(error.cause !== undefined, "the driver's error is kept as cause");
  assert.match(error.sql, /^INSERT INTO/);
  assert.ok(error.paramValues().includes("secret-value@x.io"), "values are kept for debugging on purpose");
  assert.ok(error.params.includes("[string]") && !error.params.includes("secret-value@x.io"));
  assert.ok(!error.message.includes("secret-value"), "but never printed");
  assert.equal(await User.query().count(), 1);
});

conformance("foreign keys: a missing parent, and cascading deletes", async (env) => {
  const User = await env.model(users);
  const Post = await env.model(posts);
  await env.createTables(User, Post);
  const error = await rejects(() => Post.create({ userId: 404, title: "orphan" }), ForeignKeyViolationError);
  assert.ok(error instanceof IntegrityError);
  const ann = await User.create({ name: "Ann", email: "a@x.io" });
  await Post.create({ userId: ann.id, title: "kept until Ann goes" });
  await ann.delete();
  assert.equal(await Post.query().count(), 0, "ON DELETE CASCADE");
});

conformance("foreign keys: deleting a parent that still has children", async (env) => {
  await env.db.executeNonQuery("drop table if exists ar_children");
  await env.db.executeNonQuery("drop table if exists ar_parents");
  await env.db.executeNonQuery("create table ar_parents (id integer primary key)");
  await env.db.executeNonQuery(
    "create table ar_children (id integer primary key, parent_id integer not null references ar_parents (id))",
  );
  try {
    await env.db.executeNonQuery("insert into ar_parents (id) values (1)");
    await env.db.executeNonQuery("insert into ar_children (id, parent_id) values (1, 1)");
    await rejects(
      () => env.db.executeNonQuery("delete from ar_parents where id = 1"),
      ForeignKeyViolationError,
    );
    assert.equal(await env.db.executeScalar("select count(*) from ar_parents"), 1);
  } finally {
    await env.db.executeNonQuery("drop table ar_children");
    await env.db.executeNonQuery("drop table ar_parents");
  }
});

conformance("not-null and check violations from raw SQL", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  const notNull = await rejects(
    () =>
      env.db.executeNonQuery(
        "insert into ar_users (name, email, is_active, created_at) values (null, 'a@x.io', ?, ?)",
        [
          true,
          new Date(),
        ],
      ),
    NotNullViolationError,
  );
  assert.equal(notNull.table, "ar_users");
  assert.equal(notNull.column, "name");
  await env.db.executeNonQuery("drop table if exists ar_accounts");
  await env.db.executeNonQuery(
    "create table ar_accounts (id integer primary key, balance integer not null, constraint balance_positive check (balance >= 0))",
  );
  try {
    const check = await rejects(
      () => env.db.executeNonQuery("insert into ar_accounts (id, balance) values (1, ?)", [-5]),
      CheckViolationError,
    );
    assert.match(check.constraint ?? "", /balance_positive/);
  } finally {
    await env.db.executeNonQuery("drop table ar_accounts");
  }
});

conformance("other statement failures are QueryErrors carrying the SQL", async (env) => {
  const error = await rejects(
    () => env.db.execute("select * from ar_no_such_table where id = ?", [1]),
    QueryError,
  );
  assert.equal(error.sql.includes("ar_no_such_table"), true);
  assert.deepEqual(error.params, ["[number]"]);
  assert.deepEqual(error.paramValues(), [1]);
  await rejects(() => env.db.execute("selec 1"), QueryError);
});

conformance("printed errors hold no values, even values with quotes; paramValues() has them", async (env) => {
  const User = await env.model(users);
  await env.createTables(User);
  await env.db.executeNonQuery("drop table if exists ar_vault");
  await env.db.executeNonQuery(
    "create table ar_vault (id integer primary key, n integer not null, s varchar(200) not null, " +
      "at date, constraint ar_vault_positive check (n > 0))",
  );
  // Values shaped to slip past quote-stripping: quotes of every kind, backslashes, newlines.
  const secrets = [
    `p4ss" hunter2 "x`,
    `hunter2'`,
    `'hunter2`,
    `a''b hunter2 '' c`,
    `hunter2\\'`,
    `x"; hunter2 --`,
    "multi\nline hunter2",
    `(hunter2)`,
    "`hunter2`",
    "ünï hunter2 😀",
  ];
  try {
    let row = 0;
    for (const secret of secrets) {
      row++;
      await User.create({ name: `U${row}`, email: `${secret}@x.io` });
      const failures: [string, () => unknown][] = [
        ["unique", () => User.create({ name: "Bob", email: `${secret}@x.io` })],
        [
          "check",
          () => env.db.executeNonQuery("insert into ar_vault (id, n, s) values (?, ?, ?)", [row, -5, secret]),
        ],
        [
          "not null",
          () => env.db.executeNonQuery("insert into ar_vault (id, n, s) values (?, null, ?)", [row, secret]),
        ],
        ["bad integer", () => env.db.execute("select * from ar_vault where n = ? + 0", [secret])],
        [
          "bad text cast",
          () =>
            env.db.executeNonQuery("insert into ar_vault (id, n, s) values (?, ?, ?)", [row, secret, secret]),
        ],
        [
          "bad date",
          () =>
            env.db.executeNonQuery("insert into ar_vault (id, n, s, at) values (?, 1, 's', ?)", [
              row,
              secret,
            ]),
        ],
        ["bad key", () => env.db.execute("select * from ar_vault where id = ?", [secret])],
      ];
      for (const [label, failure] of failures) {
        const error = await Promise.resolve().then(failure).then(() => undefined, (e: unknown) => e);
        if (error === undefined) continue; // SQLite accepts some of these: nothing to print
        assert.ok(error instanceof DatabaseError, `${label}: ${error}`);
        const printed = Deno.inspect(error, { depth: 10 });
        assert.ok(
          !printed.includes("hunter2"),
          `${label} printed a value of ${JSON.stringify(secret)}:\n${printed}`,
        );
        assert.ok(error.paramValues().some((v) => String(v).includes("hunter2")), `${label}: values kept`);
      }
      await env.db.executeNonQuery("delete from ar_vault");
    }
  } finally {
    await env.db.executeNonQuery("drop table ar_vault");
  }
});
