/**
 * Running migrations, as flows for both modes. Applied ids are recorded in a table with their
 * checksums. Each migration runs in a transaction of its own where DDL is transactional (PostgreSQL,
 * SQLite), taking the database's migration lock and checking again that it is still to do, so two
 * runners never both apply it; where DDL commits by itself (MySQL), the whole run holds a named lock
 * on one connection, and a failure says which statements ran.
 * @module
 */
import type { Dialect } from "../dialect/dialect.ts";
import { createTableSql } from "../dialect/ddl.ts";
import { rowsQuery, truthy } from "../dialect/schema_info.ts";
import { type SchemaSql, schemaSqlOf } from "../dialect/schema_sql.ts";
import { tableSql } from "../dialect/table_sql.ts";
import { MigrationError } from "../errors.ts";
import type { Frame } from "../run/frame.ts";
import { execute, type Flow } from "../run/request.ts";
import { column } from "../schema/column.ts";
import { defineSchema, type NamingStrategy, type Schema } from "../schema/schema.ts";
import { atomically } from "../transaction/flows.ts";
import { operationsOf, SchemaBuilder } from "./builder.ts";
import { tableNamesFlow } from "./introspect.ts";
import type { Migration } from "./migration.ts";

/** What a run needs. */
export interface RunnerConfig {
  readonly dialect: Dialect;
  /** The table applied migrations are recorded in. */
  readonly table: string;
  /** How the builder maps property names to column names. */
  readonly naming: NamingStrategy;
  /** The migrations, sorted by id. */
  readonly migrations: readonly Migration[];
}

/** Where a migration stands: applied, applied but edited since (`changed`), to do, or applied but unknown here. */
export type MigrationState = "applied" | "changed" | "pending" | "missing";

/** One line of `status()`. */
export interface MigrationStatus {
  /** The migration's id. */
  readonly id: string;
  /** Where it stands. */
  readonly state: MigrationState;
  /** When it was applied, if it was. */
  readonly appliedAt?: Date;
}

/** One migration run by `up()` or `down()`. */
export interface MigrationStep {
  /** The migration's id. */
  readonly id: string;
  /** Applied or undone. */
  readonly direction: "up" | "down";
  /** How long it took, in milliseconds. */
  readonly ms: number;
  /** How many statements it ran. */
  readonly statements: number;
}

/** What `up()` or `down()` did. */
export interface MigrationReport {
  /** The migrations run, in order. */
  readonly steps: readonly MigrationStep[];
  /** Applied migrations whose definition changed since (their checksum differs). */
  readonly changed: readonly string[];
}

interface Applied {
  readonly checksum: string;
  readonly appliedAt: Date;
}

const schemas = new Map<string, Schema>();

/** The schema of the table applied migrations are recorded in. */
function recordsSchema(table: string): Schema {
  let schema = schemas.get(table);
  if (!schema) {
    schema = defineSchema(table, {
      id: column.text().primaryKey(),
      checksum: column.text().maxLength(64),
      appliedAt: column.datetime(),
    });
    schemas.set(table, schema);
  }
  return schema;
}

function statement(text: string, params: readonly unknown[] = []) {
  return { text, params, returnsRows: false };
}

/** The applied migrations by id. */
function* readApplied(config: RunnerConfig, frame: Frame | undefined): Flow<Map<string, Applied>> {
  const { dialect } = config;
  const table = tableSql(recordsSchema(config.table), dialect);
  const result = yield* execute(
    rowsQuery(`SELECT ${table.columnList} FROM ${table.table} ORDER BY 1`),
    frame,
  );
  const decode = table.decoders[2];
  const applied = new Map<string, Applied>();
  for (const [id, checksum, at] of result.rows) {
    applied.set(String(id), { checksum: String(checksum), appliedAt: (decode ? decode(at) : at) as Date });
  }
  return applied;
}

/** Records that `migration` was applied (up) or undone (down). */
function* record(
  config: RunnerConfig,
  migration: Migration,
  direction: "up" | "down",
  frame: Frame | undefined,
) {
  const { dialect } = config;
  const schema = recordsSchema(config.table);
  const table = tableSql(schema, dialect);
  if (direction === "down") {
    yield* execute(statement(`${table.deleteByKey}`, [dialect.encodeParam(migration.id, "text", 1)]), frame);
    return;
  }
  const values = [migration.id, migration.checksum, new Date()];
  const params = schema.fields.map((f, i) => dialect.encodeParam(values[i], f.spec.kind, i + 1));
  yield* execute(statement(table.insert(schema.fields, 1), params), frame);
}

/**
 * Runs `body` holding the migration lock: in one transaction taking the lock (transactional DDL), or
 * on one connection holding a named lock (MySQL); foreign keys off around it where the database
 * rebuilds tables (SQLite).
 */
function* locked<T>(
  config: RunnerConfig,
  body: (frame: Frame) => Flow<T>,
): Flow<T> {
  const { dialect } = config;
  const sql = schemaSqlOf(dialect);
  const session = sql.lock.session?.(config.table);
  if (session) {
    return yield* atomically(dialect, function* (frame) {
      const taken = yield* execute(rowsQuery(session.acquire), frame);
      if (!truthy(taken.rows[0]?.[0])) {
        throw new MigrationError("another migration runner holds the lock: try again when it is done");
      }
      try {
        return yield* body(frame);
      } finally {
        yield* execute(rowsQuery(session.release), frame);
      }
    });
  }
  return yield* withForeignKeysOff(sql, () =>
    atomically(dialect, function* (frame) {
      const lock = sql.lock.inTransaction?.(config.table);
      if (lock) yield* execute(rowsQuery(lock), frame);
      return yield* body(frame);
    }));
}

/** Runs `body` with foreign-key enforcement off where the database needs it for rebuilds (then back on). */
function* withForeignKeysOff<T>(sql: SchemaSql, body: () => Flow<T>): Flow<T> {
  const keys = sql.foreignKeys;
  if (!keys) return yield* body();
  const on = truthy((yield* execute(rowsQuery(keys.read))).rows[0]?.[0]);
  if (on) yield* execute(statement(keys.off));
  try {
    return yield* body();
  } finally {
    if (on) yield* execute(statement(keys.on));
  }
}

/** Creates the records table if it is not there (under the lock, so two runners do not race). */
function* ensureTable(config: RunnerConfig): Flow<void> {
  const { dialect } = config;
  const names = yield* tableNamesFlow(dialect);
  if (names.includes(config.table)) return;
  const text = createTableSql(recordsSchema(config.table), dialect, { ifNotExists: true });
  yield* locked(config, function* (frame) {
    yield* execute(statement(text), frame);
  });
}

/** Ids of applied migrations whose checksum differs from their definition's. */
function changedIds(config: RunnerConfig, applied: ReadonlyMap<string, Applied>): string[] {
  return config.migrations.filter((m) => applied.has(m.id) && applied.get(m.id)!.checksum !== m.checksum)
    .map((m) => m.id);
}

/** The migrations of `config` by id. */
function byId(config: RunnerConfig, id: string): Migration | undefined {
  return config.migrations.find((m) => m.id === id);
}

/** Applies every pending migration (up to and including `to`). */
export function* upFlow(config: RunnerConfig, to?: string): Flow<MigrationReport> {
  if (to !== undefined && !byId(config, to)) {
    throw new MigrationError(`there is no migration ${JSON.stringify(to)}`);
  }
  yield* ensureTable(config);
  const sql = schemaSqlOf(config.dialect);
  const plan = function* (frame: Frame | undefined): Flow<MigrationReport> {
    const applied = yield* readApplied(config, frame);
    const pending = config.migrations.filter((m) => !applied.has(m.id) && (to === undefined || m.id <= to));
    const steps: MigrationStep[] = [];
    for (const migration of pending) {
      const step = yield* migrate(config, migration, "up", frame);
      if (step) steps.push(step);
    }
    return { steps, changed: changedIds(config, applied) };
  };
  return sql.transactionalDdl ? yield* plan(undefined) : yield* locked(config, plan);
}

/** Undoes the last `steps` applied migrations (default 1), or every one after `to`. */
export function* downFlow(
  config: RunnerConfig,
  options: { to?: string; steps?: number },
): Flow<MigrationReport> {
  const { to, steps = 1 } = options;
  if (to !== undefined && !byId(config, to)) {
    throw new MigrationError(`there is no migration ${JSON.stringify(to)}`);
  }
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new MigrationError(`steps must be a whole number, got ${steps}`);
  }
  yield* ensureTable(config);
  const sql = schemaSqlOf(config.dialect);
  const plan = function* (frame: Frame | undefined): Flow<MigrationReport> {
    const applied = yield* readApplied(config, frame);
    const newestFirst = [...applied.keys()].sort().reverse();
    const ids = to === undefined ? newestFirst.slice(0, steps) : newestFirst.filter((id) => id > to);
    const undo = ids.map((id) => {
      const migration = byId(config, id);
      if (!migration) {
        throw new MigrationError(
          `migration ${id} is applied but not among the migrations given: it cannot be undone`,
        );
      }
      if (!migration.down) throw new MigrationError(`migration ${id} has no down(m): it cannot be undone`);
      return migration;
    });
    const done: MigrationStep[] = [];
    for (const migration of undo) {
      const step = yield* migrate(config, migration, "down", frame);
      if (step) done.push(step);
    }
    return { steps: done, changed: changedIds(config, applied) };
  };
  return sql.transactionalDdl ? yield* plan(undefined) : yield* locked(config, plan);
}

/** Where every migration stands (and applied ids unknown here, as `missing`). */
export function* statusFlow(config: RunnerConfig): Flow<MigrationStatus[]> {
  const names = yield* tableNamesFlow(config.dialect);
  const applied = names.includes(config.table)
    ? yield* readApplied(config, undefined)
    : new Map<string, Applied>();
  const list: MigrationStatus[] = config.migrations.map((m) => {
    const found = applied.get(m.id);
    if (!found) return { id: m.id, state: "pending" };
    return {
      id: m.id,
      state: found.checksum === m.checksum ? "applied" : "changed",
      appliedAt: found.appliedAt,
    };
  });
  for (const [id, found] of applied) {
    if (!byId(config, id)) list.push({ id, state: "missing", appliedAt: found.appliedAt });
  }
  return list.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Runs one migration one way. With transactional DDL: its own locked transaction, which first checks
 * that the migration is still to do (another runner may have done it meanwhile). Otherwise, on the
 * locked connection `session`. Undefined when there was nothing to do.
 */
function* migrate(
  config: RunnerConfig,
  migration: Migration,
  direction: "up" | "down",
  session: Frame | undefined,
): Flow<MigrationStep | undefined> {
  const { dialect } = config;
  const sql = schemaSqlOf(dialect);
  const builder = new SchemaBuilder(config.naming);
  try {
    (direction === "up" ? migration.up : migration.down!)(builder);
  } catch (error) {
    throw new MigrationError(
      `migration ${migration.id} (${direction}) failed to describe its changes: ${error}`,
      {
        migration: migration.id,
      },
      { cause: error },
    );
  }
  const ran: string[] = [];
  const started = performance.now();
  const work = function* (frame: Frame | undefined): Flow<boolean> {
    const applied = yield* readApplied(config, frame);
    if (applied.has(migration.id) === (direction === "up")) return false; // done by another runner meanwhile
    const context = { dialect, sql, frame, ran };
    for (const operation of operationsOf(builder)) yield* operation(context);
    if (sql.foreignKeys) {
      const violations = yield* execute(rowsQuery(sql.foreignKeys.check), frame);
      if (violations.rows.length) {
        throw new MigrationError(`it leaves ${violations.rows.length} row(s) breaking foreign keys`);
      }
    }
    yield* record(config, migration, direction, frame);
    return true;
  };
  let done: boolean;
  try {
    done = sql.transactionalDdl ? yield* locked(config, work) : yield* work(session);
  } catch (error) {
    throw failed(migration, direction, ran, error, sql.transactionalDdl);
  }
  return done
    ? { id: migration.id, direction, ms: performance.now() - started, statements: ran.length }
    : undefined;
}

/** The error of a migration that failed, saying what ran and what became of it. */
function failed(
  migration: Migration,
  direction: "up" | "down",
  ran: readonly string[],
  error: unknown,
  transactional: boolean,
): MigrationError {
  const why = error instanceof Error ? error.message : String(error);
  const after = transactional
    ? "it was rolled back: nothing of it remains"
    : ran.length
    ? `these statements ran and stay (MySQL commits DDL as it goes):\n${ran.map((s) => `  ${s}`).join("\n")}`
    : "none of its statements ran";
  return new MigrationError(`migration ${migration.id} (${direction}) failed: ${why}; ${after}`, {
    migration: migration.id,
    statements: ran,
  }, { cause: error });
}
