/**
 * `ActiveRecord.model(schema)`: the class of a schema below a base, with one accessor per field and
 * one per relation. Reading a relation that was not loaded is a `StrictLoadingError`: no query runs
 * behind the caller's back.
 * @module
 */
import { ArgumentError, ConfigurationError, StrictLoadingError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import { onRelationsDeclared, type Relation, relationsOf } from "../schema/relations.ts";
import type { Schema } from "../schema/schema.ts";
import { LIFECYCLE_EVENTS } from "./lifecycle.ts";
import { applyMixins } from "./mixins.ts";
import { internals, type ModelClass, RecordBase } from "./record.ts";
import { Model } from "./model.ts";
import { registerDefined } from "./registry.ts";

/** The fields of a model whose names would hide the model's own API. */
const RESERVED = new Set([
  "constructor",
  "save",
  "delete",
  "refresh",
  "validate",
  "isNewRecord",
  "isDeleted",
  "isDirty",
  "touch",
  "restore",
  ...LIFECYCLE_EVENTS,
]);

/** Every class made for a schema, so that relations declared later still get their accessors. */
const madeFor = new WeakMap<Schema, ModelClass[]>();

/** Makes the class for `schema` below `base`, with one accessor per field and per relation. */
export function defineModelClass<B extends abstract new (...args: never[]) => RecordBase<Mode>>(
  base: B,
  schema: Schema,
): B {
  if (!(schema && Array.isArray(schema.fields))) {
    throw new ArgumentError("model() expects a schema made by defineSchema()");
  }
  // @ts-ignore: an abstract base is extended here only to be subclassed again by the user
  const cls = class extends base {};
  Object.defineProperty(cls, "name", { value: `${schema.table}Record` });
  Object.defineProperty(cls, "schema", { value: schema });
  for (const field of schema.fields) {
    if (RESERVED.has(field.name) || field.name in Model.prototype) {
      throw new ArgumentError(`${schema.table}: a field cannot be named ${field.name}, which models use`);
    }
    const index = field.index;
    Object.defineProperty(cls.prototype, field.name, {
      get(this: RecordBase<Mode>) {
        return internals.values(this)[index];
      },
      set(this: RecordBase<Mode>, value: unknown) {
        internals.write(this, index, value);
      },
      enumerable: true,
      configurable: true,
    });
  }
  const model = cls as unknown as ModelClass;
  applyMixins(model);
  for (const relation of relationsOf(schema).values()) defineRelation(model, relation);
  let made = madeFor.get(schema);
  if (!made) madeFor.set(schema, made = []);
  made.push(model);
  registerDefined(model);
  return cls as unknown as B;
}

onRelationsDeclared((schema, relations) => {
  for (const relation of relations) {
    if (RESERVED.has(relation.name) || relation.name in Model.prototype) {
      throw new ConfigurationError(
        `relations(): ${schema.table}.${relation.name} would hide the model's own ${relation.name}; rename it`,
      );
    }
    for (const cls of madeFor.get(schema) ?? []) defineRelation(cls, relation);
  }
});

/** The accessor of `relation` on `cls`'s records. */
function defineRelation(cls: ModelClass, relation: Relation): void {
  const { name } = relation;
  Object.defineProperty(cls.prototype, name, {
    get(this: RecordBase<Mode>) {
      const loaded = internals.related(this);
      if (loaded?.has(name)) return loaded.get(name);
      const model = this.constructor.name;
      throw new StrictLoadingError(
        `${model}.${name} is not loaded, and relations are never loaded behind your back: load it with ` +
          `${model}.query().with("${name}") (or Model.preload(records, "${name}")), or record.load("${name}")`,
      );
    },
    set(this: RecordBase<Mode>, value: unknown) {
      if (relation.kind !== "belongsTo") {
        throw new ArgumentError(
          `${this.constructor.name}.${name} is read-only (${relation.kind}): set the foreign key on the related records`,
        );
      }
      assignParent(this, relation, value);
    },
    enumerable: false,
    configurable: true,
  });
}

/** `post.author = user`: sets the foreign key from the parent's key and keeps the parent as loaded. */
function assignParent(record: RecordBase, relation: Relation, parent: unknown): void {
  let key: unknown = null;
  if (parent !== null) {
    const parentClass = (parent as RecordBase)?.constructor as ModelClass | undefined;
    if (!(parent instanceof RecordBase) || parentClass?.schema !== relation.target) {
      throw new ArgumentError(
        `${relation.source.table}.${relation.name} takes a ${relation.target.table} record or null`,
      );
    }
    key = internals.values(parent)[relation.targetField.index];
    if (key === undefined || key === null) {
      throw new ArgumentError(
        `${relation.source.table}.${relation.name}: the ${relation.target.table} record has no ${relation.targetField.name} yet; save it first`,
      );
    }
  }
  internals.write(record, relation.sourceField.index, key);
  internals.setRelated(record, relation.name, parent);
}
