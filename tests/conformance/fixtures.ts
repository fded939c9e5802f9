/** Schemas shared by the conformance tests. */
import { column, defineSchema, relations } from "../../mod.ts";

export const users = defineSchema("ar_users", {
  id: column.integer().primaryKey(),
  name: column.text().maxLength(20),
  email: column.text().unique().validate((v) => v.includes("@") || "must be an email"),
  age: column.integer().nullable(),
  isActive: column.boolean().default(true),
  createdAt: column.datetime().defaultNow(),
});

export const posts = defineSchema("ar_posts", {
  id: column.integer().primaryKey(),
  userId: column.integer().references("ar_users", "id", { onDelete: "cascade" }),
  title: column.text(),
  views: column.integer().default(0),
});

export const employees = defineSchema("ar_employees", {
  id: column.integer().primaryKey(),
  name: column.text(),
  department: column.text(),
  salary: column.decimal(10, 2),
  hireDate: column.date(),
});

export const tags = defineSchema("ar_tags", {
  id: column.uuid().primaryKey(),
  label: column.text().unique(),
  uses: column.integer().default(0),
});

export const everything = defineSchema("ar_types", {
  id: column.integer().primaryKey(),
  int: column.integer().nullable(),
  big: column.bigint().nullable(),
  real: column.real().nullable(),
  wide: column.decimal().nullable(),
  money: column.decimal(12, 2).nullable(),
  text: column.text().nullable(),
  flag: column.boolean().nullable(),
  at: column.datetime().nullable(),
  day: column.date().nullable(),
  clock: column.time().nullable(),
  doc: column.json<{ list?: unknown[]; nested?: Record<string, unknown>; s?: string }>().nullable(),
  blob: column.bytes().nullable(),
  uid: column.uuid().nullable(),
});

export const employeeRows = [
  { name: "Ann", department: "Engineering", salary: "98000.00", hireDate: "2019-04-01" },
  { name: "Bob", department: "Engineering", salary: "87000.50", hireDate: "2021-09-15" },
  { name: "Cid", department: "Sales", salary: "65000.00", hireDate: "2020-01-20" },
  { name: "Dee", department: "Sales", salary: "71000.25", hireDate: "2018-06-11" },
  { name: "Eve", department: "Support", salary: "52000.00", hireDate: "2022-02-02" },
];

export const comments = defineSchema("ar_comments", {
  id: column.integer().primaryKey(),
  postId: column.integer().references("ar_posts", "id", { onDelete: "cascade" }),
  userId: column.integer().nullable().references("ar_users", "id", { onDelete: "set null" }),
  parentId: column.integer().nullable().references("ar_comments"),
  body: column.text(),
  approved: column.boolean().default(true),
});

export const postTags = defineSchema("ar_post_tags", {
  postId: column.integer().primaryKey().references("ar_posts", "id", { onDelete: "cascade" }),
  tagId: column.uuid().primaryKey().references("ar_tags", "id", { onDelete: "cascade" }),
});

/** The blog's relations, declared once for the sync and the async models. */
export const blog = relations({ users, posts, comments, tags, postTags }, (r) => ({
  users: { posts: r.hasMany("posts"), comments: r.hasMany("comments") },
  posts: {
    author: r.belongsTo("users"),
    comments: r.hasMany("comments"),
    tags: r.hasMany("tags", { through: "postTags" }),
  },
  comments: {
    post: r.belongsTo("posts"),
    author: r.belongsTo("users"),
    parent: r.belongsTo("comments", { foreignKey: "parentId" }),
    replies: r.hasMany("comments", { foreignKey: "parentId" }),
  },
  tags: { posts: r.hasMany("posts", { through: "postTags" }) },
}));
