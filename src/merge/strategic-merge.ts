// Entry point of the strategic merge: copies both inputs, merges the patch
// into the original with the patch metadata of the chosen Go type, and copies
// the result back to JSON. Neither input is mutated.
import { toGoValue, toJson, type MergeLimits } from './convert.js';
import { FieldPath, fail, MergeError } from './errors.js';
import { isGoMap, type GoMap } from './go-value.js';
import { mergeMap } from './merge-map.js';
import { inferenceServiceSpecType, podTemplateSpecType } from './odin-spec.js';
import type { GoType } from './patch-meta.js';

/** The Go type whose patch metadata guides the merge. */
export type MergeSchema = 'InferenceServiceSpec' | 'PodTemplateSpec';

export interface StrategicMergeOptions {
  readonly schema: MergeSchema;
  readonly limits: MergeLimits;
  /** Field path of the merged object, prefixed to every error path. */
  readonly pathPrefix: string;
  /** Leave out directive keys and null object values, as Go's typed decoding does. */
  readonly clean: boolean;
}

function schemaType(schema: MergeSchema): GoType {
  return schema === 'PodTemplateSpec' ? podTemplateSpecType() : inferenceServiceSpecType;
}

function toGoMap(input: unknown, options: StrategicMergeOptions, label: string): GoMap {
  const root = FieldPath.root(options.pathPrefix);
  const value = toGoValue(input, options.limits, root, label);
  if (!isGoMap(value)) {
    fail(root, `${label} must be a JSON object`);
  }
  return value;
}

/**
 * Returns `patch` merged into `original` as k8s.io/apimachinery's
 * StrategicMergePatch(original, patch, dataStruct) does, with the Go type
 * named by `options.schema` as dataStruct.
 */
export function strategicMergePatch(
  original: unknown,
  patch: unknown,
  options: StrategicMergeOptions,
): Record<string, unknown> {
  const originalMap = toGoMap(original, options, 'the base');
  const patchMap = toGoMap(patch, options, 'the overlay');
  const root = FieldPath.root(options.pathPrefix);
  try {
    const merged = mergeMap(originalMap, patchMap, schemaType(options.schema), root);
    return toJson(merged, options.clean) as Record<string, unknown>;
  } catch (error) {
    // The limits bound the nesting, but a caller may raise them past what the
    // call stack of the recursive merge holds.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new MergeError(root.toString(), 'the input nests too deeply to merge');
    }
    throw error;
  }
}
