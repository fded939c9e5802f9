import { column, defineMigration } from "../../../mod.ts";

export default defineMigration({
  id: "20261123T090000_create_users_and_posts",
  up(m) {
    m.createTable("blog_users", {
      id: column.integer().primaryKey(),
      name: column.text(),
      email: column.text().unique(),
    });
    m.createTable("blog_posts", {
      id: column.integer().primaryKey(),
      authorId: column.integer().references("blog_users", "id", { onDelete: "cascade" }),
      title: column.text(),
      published: column.boolean().default(false),
    }, { indexes: [{ columns: ["authorId"] }] });
  },
  down(m) {
    m.dropTable("blog_posts");
    m.dropTable("blog_users");
  },
});
