/**
 * `AsyncActiveRecord`: the asynchronous base. Same methods as `ActiveRecord`, returning Promises.
 * @module
 */
import type { Mode } from "../mode.ts";
import { defineModelClass } from "./define.ts";
import { Model, type RecordClass } from "./model.ts";
import type { ColumnMap, EmptyRelations, RelationTypes, Schema } from "../schema/schema.ts";

/** The class `AsyncActiveRecord.model(schema)` returns: extend it to add methods. */
export type AsyncActiveRecordClass<C extends ColumnMap, R extends RelationTypes = EmptyRelations> =
  RecordClass<
    typeof AsyncActiveRecord,
    AsyncActiveRecord,
    C,
    R
  >;

/**
 * The asynchronous ActiveRecord base (PostgreSQL, MySQL, or SQLite shared safely). Methods return
 * Promises.
 *
 * @example
 * ```ts
 * import { AsyncActiveRecord } from "@rho/activerecord";
 * import { SQLiteBackend } from "@rho/activerecord/sqlite";
 *
 * class AsyncUser extends AsyncActiveRecord.model(users) {}
 * await AsyncUser.configure(new SQLiteBackend(":memory:"));
 * await AsyncUser.createTable();
 * const u = await AsyncUser.create({ name: "Ann", email: "ann@example.com" });
 * ```
 */
export abstract class AsyncActiveRecord extends Model<"async"> {
  /** This base answers with Promises. */
  static override readonly mode: "async" = "async";

  /**
   * Makes the base class of an async model from a schema; its fields become typed properties.
   *
   * @example
   * ```ts
   * class AsyncUser extends AsyncActiveRecord.model(users) {}
   * ```
   */
  static model<C extends ColumnMap, R extends RelationTypes = EmptyRelations>(
    schema: Schema<C, R>,
  ): AsyncActiveRecordClass<C, R> {
    return defineModelClass(
      this as unknown as abstract new () => Model<Mode>,
      schema,
    ) as unknown as AsyncActiveRecordClass<C, R>;
  }
}
