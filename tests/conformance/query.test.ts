import assert from "node:assert/strict";
import { ArgumentError, sql } from "../../mod.ts";
import { conformance, type Env, rejects } from "./harness.ts";
import { employeeRows, employees, posts, users } from "./fixtures.ts";

async function people(env: Env) {
  const User = await env.model(users);
  const Post = await env.model(posts);
  await env.createTables(User, Post);
  const ann = await User.create({ name: "Ann", email: "ann@x.io", age: 31 });
  const bob = await User.create({ name: "Bob", email: "bob@x.io", age: 45, isActive: false });
  const cid = await User.create({ name: "Cid", email: "cid@x.io", age: null });
  const dee = await User.create({ name: "Dee", email: "dee@x.io", age: 28 });
  await Post.insertMany([
    { userId: ann.id, title: "Hello", views: 10 },
    { userId: ann.id, title: "Again", views: 5 },
    { userId: bob.id, title: "Mine", views: 7 },
  ]);
  return { User, Post, ann, bob, cid, dee };
}

const names = (records: { name: string }[]) => records.map((r) => r.name);

conformance("where: objects, SQL with placeholders, sql fragments, IN lists, NULL", async (env) => {
  const { User } = await people(env);
  const q = User.query().orderBy("name");
  assert.deepEqual(names(await q.where({ isActive: true }).all()), ["Ann", "Cid", "Dee"]);
  assert.deepEqual(names(await q.where({ isActive: true, age: [28, 31] }).all()), ["Ann", "Dee"]);
  assert.deepEqual(names(await q.where({ age: null }).all()), ["Cid"]);
  assert.deepEqual(
    names(await q.where({ is_active: false } as never).all()),
    ["Bob"],
    "column names work too",
  );
  assert.deepEqual(names(await q.where("age > ? and name <> ?", [29, "Bob"]).all()), ["Ann"]);
  assert.deepEqual(names(await q.where(sql`age < ${30} or ${sql.id("name")} = ${"Bob"}`).all()), [
    "Bob",
    "Dee",
  ]);
  assert.deepEqual(names(await q.where("name like ?", ["%e%"]).all()), ["Dee"]);
  assert.deepEqual(names(await q.where("name = '?'").all()), [], "a quoted ? is text, not a placeholder");
  assert.deepEqual(names(await q.whereIn("name", ["Bob", "Dee", "Zed"]).all()), ["Bob", "Dee"]);
  assert.deepEqual(names(await q.whereIn("id", []).all()), []);
  assert.deepEqual(names(await q.whereNotIn("name", ["Bob"]).all()), ["Ann", "Cid", "Dee"]);
  assert.deepEqual(names(await q.whereNotIn("name", []).all()), ["Ann", "Bob", "Cid", "Dee"]);
  assert.deepEqual(names(await q.whereNull("age").all()), ["Cid"]);
  assert.deepEqual(names(await q.whereNotNull("age").where("age < ?", [40]).all()), ["Ann", "Dee"]);
  assert.deepEqual(names(await q.where({}).all()).length, 4, "an empty object adds nothing");
});

conformance("orWhere groups everything before it", async (env) => {
  const { User } = await people(env);
  const rows = await User.query().where({ isActive: true }).where("age > ?", [30]).orWhere({ name: "Bob" })
    .orderBy("name").all();
  assert.deepEqual(names(rows), ["Ann", "Bob"]);
  const [text] = [User.query().where({ name: "a" }).orWhere({ name: "b" }).toSql().text];
  assert.match(text, /WHERE \(.+\) OR \(.+\)/);
});

conformance("queries are immutable: a base query can be reused", async (env) => {
  const { User } = await people(env);
  const active = User.query().where({ isActive: true });
  const young = active.where("age < ?", [30]);
  assert.equal(await active.count(), 3);
  assert.equal(await young.count(), 1);
  assert.equal(await active.count(), 3, "the base did not change");
});

conformance("select, distinct, pluck, orderBy, limit, offset", async (env) => {
  const { User } = await people(env);
  const picked = await User.query().select("id", "name").orderBy("name", "desc").limit(2).all();
  assert.deepEqual(names(picked), ["Dee", "Cid"]);
  assert.equal(picked[0].email, undefined, "unselected fields are not loaded");
  const aliased = await User.query().select("name as label", sql`age * 2 as twice`).where({ name: "Ann" })
    .all();
  assert.equal(aliased[0].attribute("label"), "Ann");
  assert.equal(Number(aliased[0].attribute("twice")), 62);
  assert.deepEqual(await User.query().orderBy("name").offset(1).limit(2).pluck("name"), ["Bob", "Cid"]);
  assert.deepEqual(
    await User.query().orderBy("name").offset(3).pluck("name"),
    ["Dee"],
    "offset without limit",
  );
  assert.deepEqual(await User.query().orderBy("isActive").orderBy("name desc").pluck("name"), [
    "Bob",
    "Dee",
    "Cid",
    "Ann",
  ]);
  assert.deepEqual(await User.query().orderBy(sql`coalesce(age, 0)`, "desc").pluck("name"), [
    "Bob",
    "Ann",
    "Dee",
    "Cid",
  ]);
  assert.deepEqual(await User.query().select("isActive").distinct().orderBy("isActive").pluck("isActive"), [
    false,
    true,
  ]);
  const flags = await User.query().orderBy("id").pluck("isActive");
  assert.deepEqual(flags, [true, false, true, true], "pluck decodes like the field");
  const dates = await User.query().pluck("createdAt");
  assert.ok(dates.every((d) => d instanceof Date));
  assert.equal(await User.query().limit(0).count(), 0);
});

conformance("one, first, exists, paginate", async (env) => {
  const { User } = await people(env);
  assert.equal((await User.query().where({ name: "Cid" }).one())?.name, "Cid");
  assert.equal(await User.query().where({ name: "Zed" }).one(), undefined);
  assert.equal((await User.query().first())?.name, "Ann", "first orders by primary key");
  assert.equal((await User.query().orderBy("name", "desc").first())?.name, "Dee");
  assert.equal(await User.query().where({ name: "Bob" }).exists(), true);
  assert.equal(await User.query().where({ name: "Zed" }).exists(), false);
  const page = await User.query().orderBy("name").paginate(2, 3);
  assert.deepEqual(names(page.items), ["Dee"]);
  assert.deepEqual({ ...page, items: undefined }, {
    items: undefined,
    page: 2,
    perPage: 3,
    total: 4,
    pageCount: 2,
  });
  const empty = await User.query().where({ name: "Zed" }).paginate(1, 10);
  assert.deepEqual([empty.items, empty.total, empty.pageCount], [[], 0, 0]);
});

conformance("scalar aggregates: count, sum, avg, min, max", async (env) => {
  const { User, Post } = await people(env);
  assert.equal(await User.query().count(), 4);
  assert.equal(await User.query().count("age"), 3, "count(column) skips NULLs");
  assert.equal(await User.query().where({ isActive: true }).count(), 3);
  assert.equal(await Post.query().sum("views"), 22);
  assert.equal(await User.query().avg("age"), (31 + 45 + 28) / 3);
  assert.equal(await User.query().min("age"), 28);
  assert.equal(await User.query().max("name"), "Dee");
  assert.ok((await User.query().max("createdAt")) instanceof Date, "min/max decode like the field");
  assert.equal(await User.query().where({ name: "Zed" }).sum("age"), null);
  assert.equal(await User.query().where({ name: "Zed" }).max("age"), null);
  assert.equal(
    await User.query().whereNotNull("age").orderBy("age").limit(2).sum("age"),
    28 + 31,
    "over the limit",
  );
  assert.equal(await User.query().orderBy("name").limit(3).count(), 3);
  assert.equal(await User.query().select("isActive").distinct().count(), 2);
});

conformance("grouped aggregates with having and order", async (env) => {
  const Employee = await env.model(employees);
  await env.createTables(Employee);
  await Employee.insertMany(employeeRows);
  const stats = await Employee.query()
    .groupBy("department")
    .count("id", "employee_count")
    .avg("salary", "avg_salary")
    .min("hireDate", "earliest_hire")
    .max("salary", "top_salary")
    .sum("salary", "payroll")
    .orderBy("department")
    .aggregate();
  assert.deepEqual(stats, [
    {
      department: "Engineering",
      employee_count: 2,
      avg_salary: 92500.25,
      earliest_hire: "2019-04-01",
      top_salary: "98000.00",
      payroll: "185000.50",
    },
    {
      department: "Sales",
      employee_count: 2,
      avg_salary: 68000.125,
      earliest_hire: "2018-06-11",
      top_salary: "71000.25",
      payroll: "136000.25",
    },
    {
      department: "Support",
      employee_count: 1,
      avg_salary: 52000,
      earliest_hire: "2022-02-02",
      top_salary: "52000.00",
      payroll: "52000.00",
    },
  ]);
  const big = await Employee.query().groupBy("department").count("id", "n").having("count(id) > ?", [1])
    .orderBy("n", "desc").orderBy("department").aggregate<{ department: string; n: number }>();
  assert.deepEqual(big, [{ department: "Engineering", n: 2 }, { department: "Sales", n: 2 }]);
  const whole = await Employee.query().count("*", "n").aggregate();
  assert.deepEqual(whole, [{ n: 5 }], "aggregates without groups");
  const renamed = await Employee.query().groupBy("hireDate").count("id", "n").orderBy("hireDate").limit(1)
    .aggregate();
  assert.deepEqual(renamed, [{ hireDate: "2018-06-11", n: 1 }], "group keys are named as written");
});

conformance(
  "decimals: sums are decimal strings; raw SQL compares numbers with numbers everywhere",
  async (env) => {
    const Employee = await env.model(employees);
    await env.createTables(Employee);
    await Employee.insertMany(employeeRows);
    assert.equal(await Employee.query().sum("salary"), "373000.75");
    assert.equal(await Employee.query().where({ department: "Nobody" }).sum("salary"), null);
    assert.equal(await Employee.query().sum("id"), 15, "sums of integers stay numbers");
    // The documented rule for raw SQL: compare a numeric expression with a number, not a string
    // (SQLite compares a string parameter as text; the servers would convert it).
    const rich = await Employee.query().groupBy("department").sum("salary", "payroll")
      .having("SUM(salary) > ?", [130000]).orderBy("department").aggregate();
    assert.deepEqual(rich, [
      { department: "Engineering", payroll: "185000.50" },
      { department: "Sales", payroll: "136000.25" },
    ]);
  },
);

conformance("joins: inner, left, right, with aliases and qualified columns", async (env) => {
  const { User, Post } = await people(env);
  const authors = await User.query().join("ar_posts", "ar_posts.user_id = ar_users.id").distinct()
    .orderBy("ar_users.name").all();
  assert.deepEqual(names(authors), ["Ann", "Bob"]);
  assert.equal(authors[0].email, "ann@x.io", "joined queries load the model's own columns");
  const silent = await User.query().leftJoin("ar_posts as p", "p.user_id = ar_users.id").whereNull("p.id")
    .orderBy("name").pluck("name");
  assert.deepEqual(silent, ["Cid", "Dee"]);
  const popular = await Post.query().join("ar_users as u", "u.id = ar_posts.user_id and u.age > ?", [40])
    .pluck("title");
  assert.deepEqual(popular, ["Mine"]);
  const byAuthor = await Post.query().join("ar_users as u", "u.id = ar_posts.user_id").whereIn("u.name", [
    "Bob",
  ])
    .pluck("title");
  assert.deepEqual(byAuthor, ["Mine"], "whereIn on a joined table's column");
  assert.deepEqual(
    await Post.query().join("ar_users as u", "u.id = ar_posts.user_id").whereNotIn("u.name", [])
      .count(),
    3,
  );
  const withAuthor = await Post.query().join("ar_users", "ar_users.id = ar_posts.user_id")
    .select("ar_posts.title", "ar_users.name as author").orderBy("title").all();
  assert.deepEqual(withAuthor.map((p) => [p.title, p.attribute("author")]), [["Again", "Ann"], [
    "Hello",
    "Ann",
  ], [
    "Mine",
    "Bob",
  ]]);
  const perAuthor = await Post.query().rightJoin("ar_users", "ar_users.id = ar_posts.user_id")
    .groupBy("ar_users.name").count("ar_posts.id", "n").orderBy("ar_users.name").aggregate();
  assert.deepEqual(perAuthor, [{ name: "Ann", n: 2 }, { name: "Bob", n: 1 }, { name: "Cid", n: 0 }, {
    name: "Dee",
    n: 0,
  }]);
});

conformance('select("table.*") loads whole records, alone and beside joined columns', async (env) => {
  const { User, Post } = await people(env);
  const all = await User.query().select("ar_users.*").orderBy("name").all();
  assert.deepEqual(names(all), ["Ann", "Bob", "Cid", "Dee"]);
  assert.equal(all[0].email, "ann@x.io");
  const { text } = User.query().select("ar_users.*").toSql();
  assert.doesNotMatch(text, / AS /, "no alias after *");
  const titled = await Post.query().join("ar_users", "ar_users.id = ar_posts.user_id")
    .select("ar_posts.*", "ar_users.name as author").where({ title: "Mine" }).all();
  assert.equal(titled.length, 1);
  assert.equal(titled[0].views, 7);
  assert.equal(titled[0].attribute("author"), "Bob");
  await rejects(() => User.query().select("ar_users.* as x"), ArgumentError, /cannot take an alias/);
});

conformance("toSql shows the statement with placeholders and parameters", async (env) => {
  const { User } = await people(env);
  const { text, params } = User.query().where({ name: "Ann" }).where("age > ?", [3]).orderBy("name").limit(5)
    .toSql();
  assert.match(
    text,
    /^SELECT .+ FROM .ar_users. WHERE \(.ar_users.\..name. = (\?|\$1)\) AND \(age > (\?|\$2)\)/,
  );
  assert.match(text, /ORDER BY .ar_users.\..name. ASC LIMIT 5$/);
  assert.deepEqual(params, ["Ann", 3]);
  assert.ok(!text.includes("Ann"), "values never enter SQL text");
});
