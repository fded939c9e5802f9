/**
 * Types of loaded relations: what `with("author", "comments.author")` adds to the records a query
 * returns. `B` is the record type of the mode (`ActiveRecord` or `AsyncActiveRecord`), handed down by
 * the model, so that related records have the same methods as the query's own.
 * @module
 */
import type { RelationType, RelationTypes, Schema } from "../schema/schema.ts";
import type { ColumnMap, EmptyRelations, Fields } from "../schema/schema.ts";

/** The columns of a schema type. */
// deno-lint-ignore no-explicit-any
export type SchemaColumns<X> = X extends Schema<infer C, any> ? C : ColumnMap;

/** The relations of a schema type. */
// deno-lint-ignore no-explicit-any
export type SchemaRelations<X> = X extends Schema<any, infer R> ? R : EmptyRelations;

/** A record of schema `X` in the mode whose record type is `B`. */
export type RelatedRecord<B, X> = B & Fields<SchemaColumns<X>>;

/** The value of a loaded relation: records (hasMany), or a record or null (belongsTo, hasOne). */
export type RelationValue<B, T extends RelationType, Extra = unknown> = T["many"] extends true
  ? (RelatedRecord<B, T["target"]> & Extra)[]
  : (RelatedRecord<B, T["target"]> & Extra) | null;

/**
 * The relation paths of relations `R`, four levels deep: `"author" | "comments" | "comments.author" | ...`.
 * A misspelt name is a compile error.
 */
export type RelationPath<R, Depth extends unknown[] = []> = Depth["length"] extends 4 ? never
  : {
    [K in keyof R & string]: R[K] extends RelationType
      ? K | `${K}.${RelationPath<SchemaRelations<R[K]["target"]>, [...Depth, unknown]>}`
      : never;
  }[keyof R & string];

/** `A | B` as `A & B`. */
export type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/** What loading `P` (one path or a union of them) adds to a record of relations `R`. */
export type Loaded<B, R, P extends string> = UnionToIntersection<
  P extends `${infer Head}.${infer Rest}` ? Head extends keyof R & string ? R[Head] extends RelationType ? {
          [K in Head]: RelationValue<B, R[Head], Loaded<B, SchemaRelations<R[Head]["target"]>, Rest>>;
        }
      : never
    : never
    : P extends keyof R & string ? R[P] extends RelationType ? { [K in P]: RelationValue<B, R[P]> } : never
    : never
>;

/** The relations that `withCount(...)` counts, as properties: `postsCount`. */
export type Counted<P extends string> = { readonly [K in P as `${K}Count`]: number };

/** Relation types or none. */
export type AnyRelations = RelationTypes;
