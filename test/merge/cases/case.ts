// The shape of a merge case and builders for the pod templates in them.
import type { MergeCase } from '../oracle.js';

/**
 * A merge case with its stated outcome. `expected` is the merged object that
 * Go's StrategicMergePatch returns, with the directives and nulls that Go
 * leaves in it. `error` matches the message when the merge must fail. Cases
 * with neither are checked only against Go.
 */
export interface ExpectedCase extends MergeCase {
  expected?: unknown;
  error?: RegExp;
}

type Json = Record<string, unknown>;

/** Builds a PodTemplateSpec case from two pod specs. */
export function podCase(
  name: string,
  original: Json,
  patch: Json,
  outcome: { expected?: Json; error?: RegExp } = {},
): ExpectedCase {
  return {
    name,
    schema: 'PodTemplateSpec',
    original: { spec: original },
    patch: { spec: patch },
    ...(outcome.expected === undefined ? {} : { expected: { spec: outcome.expected } }),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
}

/** Builds a container with a name and optional fields. */
export function container(name: string, fields: Json = {}): Json {
  return { name, ...fields };
}
