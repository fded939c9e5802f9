/**
 * Migrations: an id, `up` and (to be undone) `down`, each recording schema changes on the builder it
 * is given. The checksum of their source text tells an edited, already-applied migration.
 * @module
 */
import { ArgumentError } from "../errors.ts";
import type { SchemaBuilder } from "./builder.ts";

/** What `defineMigration` takes. */
export interface MigrationDefinition {
  /** Unique, and sorting in the order migrations apply: `"20261123_create_posts"`. */
  readonly id: string;
  /** Records the changes. */
  readonly up: (m: SchemaBuilder) => void;
  /** Records what undoes them; without it the migration cannot be undone. */
  readonly down?: (m: SchemaBuilder) => void;
}

/** A migration, with the checksum of its definition. */
export interface Migration extends MigrationDefinition {
  /** A hash of `up` and `down`'s source text. */
  readonly checksum: string;
}

/** FNV-1a, 64 bits, as 16 hex digits: enough to notice an edit (not a security hash). */
export function checksumOf(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  }
  return hash.toString(16).padStart(16, "0");
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Defines a migration. Ids sort in the order migrations apply (a timestamp prefix does that).
 *
 * @example
 * ```ts
 * export default defineMigration({
 *   id: "20261123_create_posts",
 *   up(m) { m.createTable(posts); m.addIndex("posts", ["userId"]); },
 *   down(m) { m.dropTable("posts"); },
 * });
 * ```
 */
export function defineMigration(definition: MigrationDefinition): Migration {
  const { id, up, down } = definition ?? {};
  if (typeof id !== "string" || !ID.test(id) || id.length > 255) {
    throw new ArgumentError(
      `a migration id is letters, digits, "_", "." and "-" (at most 255), e.g. "20261123_create_posts"; got ${
        JSON.stringify(id)
      }`,
    );
  }
  if (typeof up !== "function") throw new ArgumentError(`migration ${id}: up(m) must be a function`);
  if (down !== undefined && typeof down !== "function") {
    throw new ArgumentError(`migration ${id}: down(m), when given, must be a function`);
  }
  return Object.freeze({ id, up, down, checksum: checksumOf(`${up}\n${down ?? ""}`) });
}
