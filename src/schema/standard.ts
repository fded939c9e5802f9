/**
 * Standard Schema (https://standardschema.dev): any validator library's schema that implements it
 * (zod, valibot, arktype, ...) can check a column. No validator library is a dependency; the shape
 * is declared here structurally, as version 1 of the spec defines it (`StandardSchemaV1` of
 * `@standard-schema/spec` is assignable to it, which the type tests check).
 * @module
 */

/** One problem a Standard Schema found: its message, and where in the value (for objects and arrays). */
export interface StandardIssue {
  /** What is wrong. */
  readonly message: string;
  /** The path to the offending part: keys, or segments holding a key. */
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
}

/** The result of a Standard Schema's `validate`: issues when the value failed. */
export interface StandardResult {
  /** The (possibly transformed) value, on success; this library checks only and keeps its own. */
  readonly value?: unknown;
  /** The problems, on failure. */
  readonly issues?: readonly StandardIssue[];
}

/**
 * A Standard Schema object (version 1), as `.validate()` takes it: zod, valibot and arktype schemas
 * are such objects.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const schema: StandardSchema = z.email();
 * const email = column.text().validate(schema);
 * ```
 */
export interface StandardSchema {
  /** The spec's properties. */
  readonly "~standard": {
    /** The spec's version: 1. */
    readonly version: 1;
    /** The library that made the schema. */
    readonly vendor: string;
    /** Checks a value; async schemas answer with a Promise. */
    readonly validate: (value: unknown) => StandardResult | Promise<StandardResult>;
  };
}

/** True when `value` is a Standard Schema object (it has a version-1 `~standard` property). */
export function isStandardSchema(value: unknown): value is StandardSchema {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const standard = (value as Partial<StandardSchema>)["~standard"];
  return typeof standard === "object" && standard !== null && standard.version === 1 &&
    typeof standard.validate === "function";
}

/** The messages of a Standard Schema result: none when it passed; each issue's message (after its path). */
function messagesOf(result: StandardResult): true | string[] {
  if (!result.issues) return true;
  if (result.issues.length === 0) return ["is invalid"];
  return result.issues.map((issue) => {
    const path = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** A check made of `schema`: true, or its issues' messages; a Promise of those when the schema is async. */
export function standardCheck(schema: StandardSchema): (value: unknown) => unknown {
  return (value) => {
    const result = schema["~standard"].validate(value);
    return result instanceof Promise ? result.then(messagesOf) : messagesOf(result);
  };
}
