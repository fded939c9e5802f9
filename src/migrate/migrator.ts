/**
 * `Migrator`: runs migrations on a connection or backend, in its mode (sync values or Promises), and
 * reads the live schema (introspection, and the differences from a program's schemas).
 * @module
 */
import type { Backend } from "../backend.ts";
import type { TableInfo } from "../dialect/schema_info.ts";
import { ArgumentError } from "../errors.ts";
import type { Mode, Out } from "../mode.ts";
import type { Engine } from "../run/engine.ts";
import { engineFor } from "../run/engines.ts";
import type { NamingStrategy, Schema } from "../schema/schema.ts";
import { assertPlainName } from "../sql/identifier.ts";
import { diffFlow, type SchemaDifference } from "./diff.ts";
import { introspectFlow } from "./introspect.ts";
import type { Migration } from "./migration.ts";
import {
  downFlow,
  type MigrationReport,
  type MigrationStatus,
  type RunnerConfig,
  statusFlow,
  upFlow,
} from "./runner.ts";

/** What a migrator runs on: a connection (`connect(...)`, `await connectAsync(...)`), in its mode. */
export interface MigrationTarget<M extends Mode> {
  /** The backend. */
  readonly backend: Backend;
  /** Sync (values) or async (Promises). */
  readonly mode: M;
}

/** Options of `new Migrator`. */
export interface MigratorOptions {
  /** The migrations (any order: they run sorted by id). */
  readonly migrations: readonly Migration[];
  /** The table applied migrations are recorded in (default `ar_migrations`). */
  readonly table?: string;
  /** How builder methods map property names to column names (default `"snake_case"`, as `defineSchema`). */
  readonly naming?: NamingStrategy;
}

/**
 * Applies and undoes migrations, and tells where they stand. One runner at a time: a second one
 * waits for the first (or, on MySQL, fails after 60 s) and never applies a migration twice.
 *
 * @example
 * ```ts
 * const migrator = new Migrator(connect("sqlite:app.db"), { migrations: [createPosts, addSlug] });
 * migrator.up();                 // every pending migration
 * migrator.status();             // [{ id: "20261123_create_posts", state: "applied", appliedAt }, ...]
 * migrator.down();               // undoes the last one
 * migrator.diff([posts]);        // what the live table still lacks of the schema
 * ```
 */
export class Migrator<M extends Mode> {
  readonly #engine: Engine<M>;
  readonly #config: RunnerConfig;

  /** For migrations on `target`'s database. */
  constructor(target: MigrationTarget<M>, options: MigratorOptions) {
    if (
      !target || typeof target !== "object" || !target.backend ||
      (target.mode !== "sync" && target.mode !== "async")
    ) {
      throw new ArgumentError(
        "new Migrator(target) takes a connection: connect(...) or await connectAsync(...)",
      );
    }
    if (!options || !Array.isArray(options.migrations)) {
      throw new ArgumentError("new Migrator(target, { migrations }) needs an array of defineMigration(...)");
    }
    const seen = new Set<string>();
    for (const migration of options.migrations) {
      if (!migration || typeof migration.checksum !== "string") {
        throw new ArgumentError("every migration must be made by defineMigration(...)");
      }
      if (seen.has(migration.id)) throw new ArgumentError(`two migrations have the id ${migration.id}`);
      seen.add(migration.id);
    }
    this.#engine = engineFor(target.backend, target.mode);
    this.#config = {
      dialect: this.#engine.dialect,
      table: assertPlainName(options.table ?? "ar_migrations", "migrations table"),
      naming: options.naming ?? "snake_case",
      migrations: [...options.migrations].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    };
  }

  /** Applies every pending migration, in id order, or those up to and including `to`. */
  up(options: { readonly to?: string } = {}): Out<M, MigrationReport> {
    return this.#engine.run(upFlow(this.#config, options.to));
  }

  /** Undoes the last applied migration (or the last `steps`), or every one applied after `to`. */
  down(options: { readonly to?: string; readonly steps?: number } = {}): Out<M, MigrationReport> {
    return this.#engine.run(downFlow(this.#config, options));
  }

  /** Where each migration stands; applied ids the migrator does not know are `missing`. */
  status(): Out<M, MigrationStatus[]> {
    return this.#engine.run(statusFlow(this.#config));
  }

  /** The tables of the live database (or those named): columns, indexes, foreign keys. */
  introspect(tables?: readonly string[]): Out<M, TableInfo[]> {
    return this.#engine.run(introspectFlow(this.#config.dialect, tables));
  }

  /** What the live database still lacks of `schemas` (empty when it matches them). */
  diff(schemas: readonly Schema[]): Out<M, SchemaDifference[]> {
    return this.#engine.run(diffFlow(this.#config.dialect, schemas));
  }
}
