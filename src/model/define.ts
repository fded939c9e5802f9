/**
 * `ActiveRecord.model(schema)`: the class of a schema below a base, with one accessor per field.
 * @module
 */
import { ArgumentError } from "../errors.ts";
import type { Mode } from "../mode.ts";
import type { Schema } from "../schema/schema.ts";
import { internals, type RecordBase } from "./record.ts";
import { Model } from "./model.ts";

/** The fields of a model whose names would hide the model's own API. */
const RESERVED = new Set(["constructor", "save", "delete", "refresh", "validate", "isNewRecord", "isDirty"]);

/** Makes the class for `schema` below `base`, with one accessor per field. */
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
  return cls as unknown as B;
}
