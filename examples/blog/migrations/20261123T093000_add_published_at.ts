import { column, defineMigration } from "../../../mod.ts";

export default defineMigration({
  id: "20261123T093000_add_published_at",
  up(m) {
    m.addColumn("blog_posts", "publishedAt", column.datetime().nullable());
    m.execute("UPDATE blog_posts SET published_at = ? WHERE published = ?", [
      new Date("2026-11-23T09:30:00Z"),
      true,
    ]);
  },
  down(m) {
    m.dropColumn("blog_posts", "publishedAt");
  },
});
