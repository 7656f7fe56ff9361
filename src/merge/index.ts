// Template merging for InferenceService specs: Kubernetes strategic merge
// patch, written by hand because no npm package implements it with its
// directives, merge keys and Go's order of merged list items. The behaviour
// follows StrategicMergePatch of k8s.io/apimachinery v0.34.2 (Kubernetes
// v1.34.2), with the patch metadata of core/v1 PodTemplateSpec taken from the
// generated Kubernetes OpenAPI definitions.
import type { JsonObject } from '../admission/review.js';
import { toGoValue, toJson, type MergeLimits } from './convert.js';
import { isDirectiveKey } from './directives.js';
import { FieldPath } from './errors.js';
import { strategicMergePatch } from './strategic-merge.js';

export { MergeError } from './errors.js';
export type { MergeLimits } from './convert.js';

/**
 * Default limits per input. The deepest field path of the InferenceServiceSpec
 * schema (through projected volume sources) nests 13 objects and lists. The
 * example deepseek-dp service merges to 68 values. So these limits leave ample
 * room while bounding the work that one admission request can cause.
 */
export const DEFAULT_MERGE_LIMITS: MergeLimits = Object.freeze({ maxDepth: 64, maxNodes: 100_000 });

export interface MergeSpecOptions {
  limits?: Partial<MergeLimits>;
  /** Field path of the specs, prefixed to error paths; `spec` unless set. */
  pathPrefix?: string;
}

/**
 * Merges `overlay` over `base`, both InferenceServiceSpec or
 * InferenceServiceTemplateSpec JSON. Neither input is mutated. The result
 * contains no directives and no null object values. Throws MergeError where Go's
 * StrategicMergePatch fails and when an input exceeds the limits.
 */
export function mergeSpec(
  base: JsonObject,
  overlay: JsonObject,
  options: MergeSpecOptions = {},
): JsonObject {
  return strategicMergePatch(base, overlay, {
    schema: 'InferenceServiceSpec',
    limits: { ...DEFAULT_MERGE_LIMITS, ...options.limits },
    pathPrefix: options.pathPrefix ?? 'spec',
    clean: true,
  });
}

/**
 * Returns true when stripDirectives would return an equal copy of `value`:
 * it contains no directive key, no null object value and nothing but JSON,
 * and stays within the limits. The walk allocates nothing.
 */
function isStripped(value: unknown, limits: MergeLimits): boolean {
  let values = 1;
  const visit = (current: unknown, depth: number): boolean => {
    if (typeof current === 'string' || typeof current === 'boolean') return true;
    if (typeof current === 'number') return Number.isFinite(current);
    if (current === null || typeof current !== 'object' || depth + 1 > limits.maxDepth) {
      return false;
    }
    if (Array.isArray(current)) {
      values += current.length;
      if (values > limits.maxNodes) return false;
      for (const item of current) {
        // Null list items are kept by stripping, so only null object values matter.
        if (item !== null && !visit(item, depth + 1)) return false;
      }
      return true;
    }
    for (const key in current) {
      values++;
      const child = (current as Record<string, unknown>)[key];
      if (child === null || isDirectiveKey(key) || !visit(child, depth + 1)) return false;
    }
    return values <= limits.maxNodes;
  };
  return visit(value, 0);
}

/**
 * Removes every strategic-merge directive (`$patch`, `$retainKeys`,
 * `$setElementOrder/...`, `$deleteFromPrimitiveList/...`) and every null
 * object value from a value and keeps everything else. Go's decoding into
 * typed structs drops the same keys. Meant for a first template that serves
 * as the base. A value with nothing to remove is returned itself, and so are
 * values other than objects and lists: the result may be the input, so
 * neither may be changed while the other is in use. Throws MergeError when
 * the value exceeds DEFAULT_MERGE_LIMITS.
 */
export function stripDirectives(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || isStripped(value, DEFAULT_MERGE_LIMITS)) {
    return value;
  }
  const root = FieldPath.root('');
  return toJson(toGoValue(value, DEFAULT_MERGE_LIMITS, root, 'the value'), true);
}
