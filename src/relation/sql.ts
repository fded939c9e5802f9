/**
 * SQL built from relations: the ON clauses of `join("author")`, the `EXISTS` of `whereHas`, and the
 * correlated `COUNT` of `withCount`. Tables are named by their table names; where a relation links a
 * table to itself, the related side is aliased so the two stay apart.
 * @module
 */
import type { Relation } from "../schema/relations.ts";
import type { FieldInfo } from "../schema/schema.ts";
import { Identifier, SqlFragment, type SqlPart } from "../sql/fragment.ts";

/** How a relation's tables are named in a statement. */
export interface RelationNames {
  /** The source table's name or alias. */
  readonly source: string;
  /** The target table's name or alias. */
  readonly target: string;
  /** The join table's name or alias (many-to-many). */
  readonly through: string;
}

/** The names to use: table names, with the related side aliased when it is the same table as the source. */
export function relationNames(relation: Relation, sourceName: string, alias: string): RelationNames {
  const target = relation.target.table === sourceName ? alias : relation.target.table;
  const join = relation.through?.schema.table;
  const through = join === sourceName || join === target ? `${alias}_link` : join ?? "";
  return { source: sourceName, target, through };
}

const column = (table: string, field: FieldInfo) => new Identifier(table, field.column);

/** `FROM`-side text of a table under a name: `"users"` or `"users" AS "author"`. */
export function tableAs(table: string, name: string): SqlPart[] {
  return table === name ? [new Identifier(table)] : [new Identifier(table), " AS ", new Identifier(name)];
}

/** The condition that links the target (or the join table) to the source row. */
export function linkCondition(relation: Relation, names: RelationNames): SqlFragment {
  const via = relation.through;
  if (via) {
    return new SqlFragment([
      column(names.through, via.sourceKey),
      " = ",
      column(names.source, relation.sourceField),
    ]);
  }
  return new SqlFragment([
    column(names.target, relation.targetField),
    " = ",
    column(names.source, relation.sourceField),
  ]);
}

/**
 * `<kind> <target> ON ...` (two joins through a join table), for `join(relation)` and
 * `leftJoin(relation)`; `scope` (the target's default scopes) joins the target's ON clause.
 */
export function joinClauses(
  relation: Relation,
  kind: string,
  names: RelationNames,
  scope?: SqlFragment,
): SqlFragment[] {
  const via = relation.through;
  const scoped: SqlPart[] = scope ? [" AND (", retable(scope, relation.target.table, names.target), ")"] : [];
  if (!via) {
    return [
      new SqlFragment([
        `${kind} `,
        ...tableAs(relation.target.table, names.target),
        " ON ",
        linkCondition(relation, names),
        ...scoped,
      ]),
    ];
  }
  return [
    new SqlFragment([
      `${kind} `,
      ...tableAs(via.schema.table, names.through),
      " ON ",
      linkCondition(relation, names),
    ]),
    new SqlFragment([
      `${kind} `,
      ...tableAs(relation.target.table, names.target),
      " ON ",
      column(names.target, relation.targetField),
      " = ",
      column(names.through, via.targetKey),
      ...scoped,
    ]),
  ];
}

/** `FROM <target> [JOIN <join>] WHERE <link>`: the body of a correlated subquery on the relation. */
function correlated(relation: Relation, names: RelationNames, condition: SqlFragment | undefined): SqlPart[] {
  const via = relation.through;
  const parts: SqlPart[] = [" FROM ", ...tableAs(relation.target.table, names.target)];
  if (via) {
    parts.push(
      " INNER JOIN ",
      ...tableAs(via.schema.table, names.through),
      " ON ",
      column(names.target, relation.targetField),
      " = ",
      column(names.through, via.targetKey),
    );
  }
  parts.push(" WHERE ", linkCondition(relation, names));
  if (condition) parts.push(" AND (", retable(condition, relation.target.table, names.target), ")");
  return parts;
}

/** `EXISTS (SELECT 1 FROM <target> WHERE <link> [AND (<condition>)])`, for `whereHas`. */
export function existsCondition(
  relation: Relation,
  names: RelationNames,
  condition?: SqlFragment,
): SqlFragment {
  return new SqlFragment(["EXISTS (SELECT 1", ...correlated(relation, names, condition), ")"]);
}

/** `(SELECT COUNT(*) FROM <target> WHERE <link> [AND (<condition>)])`, for `withCount`. */
export function countSubquery(
  relation: Relation,
  names: RelationNames,
  condition?: SqlFragment,
): SqlFragment {
  return new SqlFragment(["(SELECT COUNT(*)", ...correlated(relation, names, condition), ")"]);
}

/** `fragment` with the identifiers that name table `from` renamed to `to` (the alias of a self-relation). */
export function retable(fragment: SqlFragment, from: string, to: string): SqlFragment {
  if (from === to) return fragment;
  return new SqlFragment(fragment.parts.map((part) => {
    if (part instanceof Identifier && part.path.length === 2 && part.path[0] === from) {
      return new Identifier(to, part.path[1]);
    }
    return part instanceof SqlFragment ? retable(part, from, to) : part;
  }));
}
