import { column, defineMigration } from "../../../mod.ts";

export default defineMigration({
  id: "20261123T091500_create_comments_and_tags",
  up(m) {
    m.createTable("blog_comments", {
      id: column.integer().primaryKey(),
      postId: column.integer().references("blog_posts", "id", { onDelete: "cascade" }),
      authorId: column.integer().references("blog_users"),
      replyToId: column.integer().nullable().references("blog_comments"),
      body: column.text(),
    });
    m.createTable("blog_tags", { id: column.integer().primaryKey(), name: column.text().unique() });
    m.createTable("blog_post_tags", {
      postId: column.integer().primaryKey().references("blog_posts", "id", { onDelete: "cascade" }),
      tagId: column.integer().primaryKey().references("blog_tags", "id", { onDelete: "cascade" }),
    });
  },
  down(m) {
    m.dropTable("blog_post_tags");
    m.dropTable("blog_tags");
    m.dropTable("blog_comments");
  },
});
