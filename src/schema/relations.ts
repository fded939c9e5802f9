/**
 * Relations, declared once next to the schemas they link and read by the sync and the async model
 * alike: belongsTo, hasOne, hasMany, and many-to-many through a join table. Foreign keys are
 * inferred from `.references()` where that is unambiguous, and can always be named.
 * @module
 */
import { ConfigurationError } from "../errors.ts";
import type { ColumnMap, FieldInfo, RelationTypes, Schema } from "./schema.ts";

/** The three kinds of relation; a hasMany with `through` is many-to-many. */
export type RelationKind = "belongsTo" | "hasOne" | "hasMany";

/** A relation as declared in `relations()`: its kind, its target's key in the schemas object, options. */
export interface RelationSpec<T extends string = string, Many extends boolean = boolean> {
  /** The kind. */
  readonly kind: RelationKind;
  /** The target, by its key in the object given to `relations()`. */
  readonly target: T;
  /** Type-level: one record or many. */
  readonly many: Many;
  /** The options given. */
  readonly options: RelationOptions;
}

/** Options of a relation. Field names are property or column names. */
export interface RelationOptions {
  /** The foreign key: on the declaring schema for belongsTo, on the target for hasOne / hasMany. */
  readonly foreignKey?: string;
  /** The key the foreign key refers to (default: what `.references()` says, else the primary key). */
  readonly references?: string;
  /** hasMany only: the join schema (its key in `relations()`) of a many-to-many relation. */
  readonly through?: string;
  /** With `through`: the join table's column that refers to the declaring schema. */
  readonly sourceKey?: string;
  /** With `through`: the join table's column that refers to the target. */
  readonly targetKey?: string;
}

/** The join of a many-to-many relation. */
export interface Through {
  /** The join table's schema. */
  readonly schema: Schema;
  /** Its column that refers to the source. */
  readonly sourceKey: FieldInfo;
  /** Its column that refers to the target. */
  readonly targetKey: FieldInfo;
}

/**
 * A resolved relation. Rows of `target` belong to a row of `source` where
 * `target[targetField] = source[sourceField]` (through `through`, for many-to-many:
 * `through.targetKey = target[targetField]` and `through.sourceKey = source[sourceField]`).
 */
export interface Relation {
  /** The name on the declaring model (`author`, `comments`). */
  readonly name: string;
  /** The kind. */
  readonly kind: RelationKind;
  /** True for hasMany: an array of records. */
  readonly many: boolean;
  /** The declaring schema. */
  readonly source: Schema;
  /** The related schema. */
  readonly target: Schema;
  /** The source's column that is matched (a foreign key for belongsTo, a key otherwise). */
  readonly sourceField: FieldInfo;
  /** The target's column that is matched (its key for belongsTo and through, a foreign key otherwise). */
  readonly targetField: FieldInfo;
  /** The join, for many-to-many. */
  readonly through?: Through;
}

/** Declares relations: `r.belongsTo("users")`, `r.hasMany("comments")`, `r.hasMany("tags", { through: "postTags" })`. */
export interface RelationBuilder<S> {
  /** The declaring schema holds a foreign key to one row of `target`. */
  belongsTo<T extends keyof S & string>(
    target: T,
    options?: Pick<RelationOptions, "foreignKey" | "references">,
  ): RelationSpec<T, false>;
  /** One row of `target` holds a foreign key to the declaring schema. */
  hasOne<T extends keyof S & string>(
    target: T,
    options?: Pick<RelationOptions, "foreignKey" | "references">,
  ): RelationSpec<T, false>;
  /** Rows of `target` hold a foreign key to the declaring schema (or are joined to it `through` a join schema). */
  hasMany<T extends keyof S & string>(
    target: T,
    options?: RelationOptions & { readonly through?: keyof S & string },
  ): RelationSpec<T, true>;
}

/** The declarations `relations()` takes: for some schemas, their relations by name. */
export type Declarations<S> = {
  readonly [K in keyof S]?: Readonly<Record<string, RelationSpec<keyof S & string>>>;
};

/** The columns of a schema type. */
// deno-lint-ignore no-explicit-any
export type ColumnsOfSchema<X> = X extends Schema<infer C, any> ? C : ColumnMap;

/** The schemas `relations()` returns: the same schemas, typed with their relations. */
export type Related<S, D> = { readonly [K in keyof S]: Schema<ColumnsOfSchema<S[K]>, RelationsOf<S, D, K>> };

/** The relation types of schema `K` from declarations `D`. */
export type RelationsOf<S, D, K> = K extends keyof D ? {
    [N in keyof D[K]]: D[K][N] extends RelationSpec<infer T, infer Many>
      ? { many: Many; target: T extends keyof S ? Related<S, D>[T] : never }
      : never;
  }
  : RelationTypes & Record<never, never>;

const registry = new WeakMap<Schema, Map<string, Relation>>();
const listeners: ((schema: Schema, relations: readonly Relation[]) => void)[] = [];

/** The relations declared on `schema`, by name (empty when none were). */
export function relationsOf(schema: Schema): ReadonlyMap<string, Relation> {
  return registry.get(schema) ?? EMPTY;
}

const EMPTY: ReadonlyMap<string, Relation> = new Map();

/** Calls `listener` whenever relations are declared (models add their accessors). */
export function onRelationsDeclared(
  listener: (schema: Schema, relations: readonly Relation[]) => void,
): void {
  listeners.push(listener);
}

const builder: RelationBuilder<Record<string, Schema>> = {
  belongsTo: (target, options = {}) => ({ kind: "belongsTo", target, many: false, options }),
  hasOne: (target, options = {}) => ({ kind: "hasOne", target, many: false, options }),
  hasMany: (target, options = {}) => ({ kind: "hasMany", target, many: true, options }),
};

/**
 * Declares the relations between `schemas` (an object of schemas by name) once, for the sync and the
 * async models of each. Returns the same schemas, typed with their relations: build models from them.
 * Foreign keys are inferred from `.references()` where exactly one column fits; otherwise name them.
 * A declaration that cannot be resolved is a `ConfigurationError` here, saying what to add.
 *
 * @example
 * ```ts
 * import { column, defineSchema, relations } from "@rho/activerecord";
 * const people = defineSchema("people", { id: column.integer().primaryKey(), name: column.text() });
 * const notes = defineSchema("notes", {
 *   id: column.integer().primaryKey(),
 *   authorId: column.integer().references("people"),
 *   body: column.text(),
 * });
 * const rel = relations({ people, notes }, (r) => ({
 *   people: { notes: r.hasMany("notes") },
 *   notes: { author: r.belongsTo("people") },
 * }));
 * class Note extends ActiveRecord.model(rel.notes) {}
 * ```
 */
export function relations<
  S extends Readonly<Record<string, Schema<ColumnMap, RelationTypes>>>,
  D extends Declarations<S>,
>(
  schemas: S,
  define: (r: RelationBuilder<S>) => D,
): Related<S, D> {
  if (schemas === null || typeof schemas !== "object") {
    throw new ConfigurationError(
      "relations() expects an object of schemas, e.g. relations({ users, posts }, ...)",
    );
  }
  const declared = define(builder as unknown as RelationBuilder<S>);
  for (const [owner, specs] of Object.entries(declared ?? {})) {
    const source = schemaNamed(schemas, owner, "declares relations");
    const resolved = Object.entries(specs as Record<string, RelationSpec>).map(([name, spec]) =>
      resolve(schemas, source, name, spec)
    );
    let byName = registry.get(source);
    if (!byName) registry.set(source, byName = new Map());
    for (const relation of resolved) byName.set(relation.name, relation);
    for (const listener of listeners) listener(source, resolved);
  }
  return schemas as unknown as Related<S, D>;
}

function schemaNamed(schemas: Readonly<Record<string, Schema>>, key: string, role: string): Schema {
  const schema = Object.hasOwn(schemas, key) ? schemas[key] : undefined;
  if (!schema || typeof schema !== "object" || !Array.isArray(schema.fields)) {
    const known = Object.keys(schemas).join(", ");
    throw new ConfigurationError(
      `relations(): "${key}" ${role} but is not one of the schemas given (${known})`,
    );
  }
  return schema;
}

function resolve(
  schemas: Readonly<Record<string, Schema>>,
  source: Schema,
  name: string,
  spec: RelationSpec,
): Relation {
  const where = `${source.table}.${name}`;
  if (!spec || typeof spec !== "object" || !["belongsTo", "hasOne", "hasMany"].includes(spec.kind)) {
    throw new ConfigurationError(
      `relations(): ${where} must be r.belongsTo(...), r.hasOne(...) or r.hasMany(...)`,
    );
  }
  if (source.field(name)) {
    throw new ConfigurationError(
      `relations(): ${where} has the name of a column; give the relation another name`,
    );
  }
  const target = schemaNamed(schemas, spec.target, `is the target of ${where}`);
  const { options } = spec;
  if (options.through !== undefined) {
    if (spec.kind !== "hasMany") {
      throw new ConfigurationError(`relations(): ${where}: only hasMany takes "through"`);
    }
    return throughRelation(schemas, source, target, name, spec, where);
  }
  if (spec.kind === "belongsTo") {
    const foreignKey = keyField(source, options.foreignKey, target, where, "foreignKey");
    return {
      name,
      kind: spec.kind,
      many: false,
      source,
      target,
      sourceField: foreignKey,
      targetField: referenced(target, options.references, foreignKey, where),
    };
  }
  const foreignKey = keyField(target, options.foreignKey, source, where, "foreignKey");
  return {
    name,
    kind: spec.kind,
    many: spec.kind === "hasMany",
    source,
    target,
    sourceField: referenced(source, options.references, foreignKey, where),
    targetField: foreignKey,
  };
}

function throughRelation(
  schemas: Readonly<Record<string, Schema>>,
  source: Schema,
  target: Schema,
  name: string,
  spec: RelationSpec,
  where: string,
): Relation {
  const { options } = spec;
  const join = schemaNamed(schemas, options.through!, `is the join schema of ${where}`);
  const sourceKey = keyField(join, options.sourceKey, source, where, "sourceKey");
  const targetKey = keyField(join, options.targetKey, target, where, "targetKey");
  return {
    name,
    kind: "hasMany",
    many: true,
    source,
    target,
    sourceField: referenced(source, undefined, sourceKey, where),
    targetField: referenced(target, undefined, targetKey, where),
    through: { schema: join, sourceKey, targetKey },
  };
}

/** A foreign-key column of `holder` that refers to `referred`: named by `given`, or the one that `.references()` it. */
function keyField(
  holder: Schema,
  given: string | undefined,
  referred: Schema,
  where: string,
  option: string,
): FieldInfo {
  if (given !== undefined) {
    const field = holder.field(given);
    if (!field) {
      throw new ConfigurationError(`relations(): ${where}: ${holder.table} has no column "${given}"`);
    }
    return field;
  }
  const candidates = holder.fields.filter((f) => f.spec.references?.table === referred.table);
  if (candidates.length === 1) return candidates[0];
  const why = candidates.length === 0
    ? `no column of ${holder.table} .references("${referred.table}")`
    : `several columns of ${holder.table} refer to ${referred.table} (${
      candidates.map((f) => f.name).join(", ")
    })`;
  throw new ConfigurationError(`relations(): ${where}: ${why}; name it with { ${option}: "..." }`);
}

/** The column a foreign key refers to: named, or from `.references()`, or the primary key. */
function referenced(
  schema: Schema,
  given: string | undefined,
  foreignKey: FieldInfo,
  where: string,
): FieldInfo {
  const name = given ??
    (foreignKey.spec.references?.table === schema.table ? foreignKey.spec.references.column : undefined);
  if (name !== undefined) {
    const field = schema.field(name);
    if (!field) {
      throw new ConfigurationError(`relations(): ${where}: ${schema.table} has no column "${name}"`);
    }
    return field;
  }
  if (!schema.primaryKey) {
    throw new ConfigurationError(
      `relations(): ${where}: ${schema.table} has no single-column primary key; name the key with { references: "..." }`,
    );
  }
  return schema.primaryKey;
}
