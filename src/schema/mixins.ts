/**
 * Mixins: column bundles with behaviour, spread into a schema's columns. The columns carry a role;
 * models of the schema act on it (the save and delete pipelines, the soft-delete scope).
 * @module
 */
import { Column, column, type ColumnRole } from "./column.ts";

/** `of` playing `role`. */
function withRole<T, N extends boolean, O extends boolean>(
  of: Column<T, N, O>,
  role: ColumnRole,
): Column<T, N, O> {
  return new Column<T, N, O>({ ...of.spec, role });
}

/** The columns of `timestamps()`. */
export interface TimestampColumns {
  /** Set when the record is inserted. */
  readonly createdAt: Column<Date, false, true>;
  /** Set when the record is inserted and on every update that writes (and by `touch()`). */
  readonly updatedAt: Column<Date, false, true>;
}

/**
 * `createdAt` and `updatedAt`: set on insert, `updatedAt` again on every update that writes
 * something, and by `record.touch()`. Bulk writes (`insertMany`, `upsert`) set both on insert;
 * `updateAll` leaves them alone.
 *
 * @example
 * ```ts
 * const posts = defineSchema("posts", { id: column.integer().primaryKey(), title: column.text(), ...timestamps() });
 * ```
 */
export function timestamps(): TimestampColumns {
  return {
    createdAt: withRole(column.datetime().defaultNow(), "createdAt"),
    updatedAt: withRole(column.datetime().defaultNow(), "updatedAt"),
  };
}

/** The column of `softDelete()`. */
export interface SoftDeleteColumns {
  /** When the record was deleted; null while it is not. */
  readonly deletedAt: Column<Date, true, true>;
}

/**
 * `deletedAt`: `delete()` sets it instead of removing the row, and a default scope hides deleted
 * rows from every read (`withDeleted()` and `onlyDeleted()` lift it; `restore()` undoes a delete;
 * `delete({ force: true })` removes the row).
 *
 * @example
 * ```ts
 * const posts = defineSchema("posts", { id: column.integer().primaryKey(), title: column.text(), ...softDelete() });
 * ```
 */
export function softDelete(): SoftDeleteColumns {
  return { deletedAt: withRole(column.datetime().nullable(), "deletedAt") };
}

/** The column of `optimisticLock()`. */
export interface OptimisticLockColumns {
  /** Bumped by every update; an update or delete of a stale copy throws `StaleObjectError`. */
  readonly lockVersion: Column<number, false, true>;
}

/**
 * `lockVersion`: every update and delete checks that the row still has the version the record was
 * read with and bumps it; when another writer got there first, `StaleObjectError` and nothing is
 * written.
 *
 * @example
 * ```ts
 * const accounts = defineSchema("accounts", { id: column.integer().primaryKey(), balance: column.decimal(12, 2), ...optimisticLock() });
 * ```
 */
export function optimisticLock(): OptimisticLockColumns {
  return { lockVersion: withRole(column.integer().default(0), "lockVersion") };
}
