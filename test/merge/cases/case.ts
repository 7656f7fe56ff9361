// The shape of a merge case and builders for the pod templates in them.
import type { MergeCase } from '../oracle.js';

/**
 * A merge case. `expected` is the merged object that Go's StrategicMergePatch
 * returns (directives and nulls that Go leaves are part of it); `error`
 * matches the message when the merge must fail. Cases with neither are
 * checked only against Go.
 */
export interface ExpectedCase extends MergeCase {
  expected?: unknown;
  error?: RegExp;
}

type Json = Record<string, unknown>;

/** A PodTemplateSpec case: `original` and `patch` are pod specs. */
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

/** A container with a name and optional fields. */
export function container(name: string, fields: Json = {}): Json {
  return { name, ...fields };
}
