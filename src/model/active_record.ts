/**
 * `ActiveRecord`: the synchronous base. Every method returns its value directly.
 * @module
 */
import type { Mode } from "../mode.ts";
import { defineModelClass } from "./define.ts";
import { Model, type RecordClass } from "./model.ts";
import type { ColumnMap, EmptyRelations, RelationTypes, Schema } from "../schema/schema.ts";

/** The class `ActiveRecord.model(schema)` returns: extend it to add methods. */
export type ActiveRecordClass<C extends ColumnMap, R extends RelationTypes = EmptyRelations> = RecordClass<
  typeof ActiveRecord,
  ActiveRecord,
  C,
  R
>;

/**
 * The synchronous ActiveRecord base (SQLite native, sql.js). Methods return values.
 *
 * @example
 * ```ts
 * import { ActiveRecord, column, defineSchema } from "@rho/activerecord";
 * import { SQLiteBackend } from "@rho/activerecord/sqlite";
 *
 * const users = defineSchema("users", { id: column.integer().primaryKey(), name: column.text() });
 * class User extends ActiveRecord.model(users) {}
 * User.configure(new SQLiteBackend(":memory:"));
 * User.createTable();
 * const u = User.create({ name: "Ann" });
 * User.findOne(u.id)?.name; // "Ann"
 * ```
 */
export abstract class ActiveRecord extends Model<"sync"> {
  /** This base answers synchronously. */
  static override readonly mode: "sync" = "sync";

  /**
   * Makes the base class of a model from a schema; its fields become typed properties.
   *
   * @example
   * ```ts
   * class User extends ActiveRecord.model(users) {
   *   get label(): string { return `${this.name} <${this.email}>`; }
   * }
   * ```
   */
  static model<C extends ColumnMap, R extends RelationTypes = EmptyRelations>(
    schema: Schema<C, R>,
  ): ActiveRecordClass<C, R> {
    return defineModelClass(
      this as unknown as abstract new () => Model<Mode>,
      schema,
    ) as unknown as ActiveRecordClass<C, R>;
  }
}
