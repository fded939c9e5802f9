/**
 * What to load with a query: a tree of relations (`with("comments.author")`), each with an optional
 * constraint (where, order, limit and offset per parent).
 * @module
 */
import { RelationNotFoundError } from "../errors.ts";
import { type Relation, relationsOf } from "../schema/relations.ts";
import type { Schema } from "../schema/schema.ts";
import type { SqlFragment } from "../sql/fragment.ts";

/** How a constrained loader narrows what is loaded. */
export interface LoadConstraint {
  /** Extra condition on the related rows. */
  readonly where?: SqlFragment;
  /** Their order (per parent). */
  readonly orders: readonly SqlFragment[];
  /** At most this many per parent. */
  readonly limit?: number;
  /** Skip this many per parent. */
  readonly offset?: number;
}

/** One relation to load, and what to load below it. */
export interface LoadNode {
  readonly relation: Relation;
  readonly constraint?: LoadConstraint;
  readonly children: LoadTree;
}

/** Relations to load, by name. */
export type LoadTree = ReadonlyMap<string, LoadNode>;

/** No relations to load. */
export const NO_LOADS: LoadTree = new Map();

/** The relation `name` of `schema`, or a `RelationNotFoundError` naming the ones it has. */
export function relationNamed(schema: Schema, name: string, model: string): Relation {
  const relation = relationsOf(schema).get(name);
  if (relation) return relation;
  const known = [...relationsOf(schema).keys()];
  throw new RelationNotFoundError(
    `${model} has no relation ${JSON.stringify(name)}; ` +
      (known.length
        ? `its relations: ${known.join(", ")}`
        : `none is declared for ${schema.table}: see relations()`),
  );
}

/**
 * `tree` with the dotted `path` (`"comments.author"`) added under `schema`; the last relation of the
 * path gets `constraint` when given. Unknown names are a `RelationNotFoundError`.
 */
export function withPath(
  tree: LoadTree,
  schema: Schema,
  path: string,
  model: string,
  constraint?: LoadConstraint,
  nested: LoadTree = NO_LOADS,
): LoadTree {
  if (typeof path !== "string" || path === "") {
    throw new RelationNotFoundError(`with() expects relation names such as "author" or "comments.author"`);
  }
  const [head, ...rest] = path.split(".");
  const relation = relationNamed(schema, head, model);
  const existing = tree.get(head);
  const below = existing?.children ?? NO_LOADS;
  const children = rest.length
    ? withPath(below, relation.target, rest.join("."), `${model}.${head}`, constraint, nested)
    : merge(below, nested);
  const node: LoadNode = {
    relation,
    constraint: rest.length ? existing?.constraint : constraint ?? existing?.constraint,
    children,
  };
  return new Map(tree).set(head, node);
}

/** `a` and `b` together (`b`'s nodes win where both name a relation, with their children merged). */
export function merge(a: LoadTree, b: LoadTree): LoadTree {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const merged = new Map(a);
  for (const [name, node] of b) {
    const existing = merged.get(name);
    merged.set(name, existing ? { ...node, children: merge(existing.children, node.children) } : node);
  }
  return merged;
}
