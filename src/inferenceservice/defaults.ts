// Defaults of an InferenceService. The service's own spec is merged last,
// over its templates, so a default written into it would hide what a template
// sets: `service.target` and `parallelism.dataLocal` are written only where
// neither the service nor any referenced template sets them. The rendered
// spec always carries every default.
import type { JsonObject } from '../admission/review.js';
import { API_GROUP, INFERENCE_SERVICE_TEMPLATE } from '../api/types.js';

export const DEFAULT_REPLICAS = 1;
export const DEFAULT_SERVICE_TARGET = 'auto';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies an object's own properties, keeping a `__proto__` key an own property. */
export function shallowCopy(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value)) as JsonObject;
}

/**
 * Returns a copy of a spec in which every object that the defaults may write
 * to is a copy: the spec, `service`, `parallelism`, the `templateRefs` list
 * and its items. Everything else is shared with the input.
 */
export function copyWritableSpec(spec: JsonObject): JsonObject {
  const copy = shallowCopy(spec);
  for (const key of ['service', 'parallelism']) {
    const child = Object.hasOwn(copy, key) ? copy[key] : undefined;
    if (isObject(child)) copy[key] = shallowCopy(child);
  }
  if (Array.isArray(copy.templateRefs)) {
    copy.templateRefs = copy.templateRefs.map((reference: unknown) =>
      isObject(reference) ? shallowCopy(reference) : reference,
    );
  }
  return copy;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function childObject(parent: JsonObject, key: string): JsonObject | undefined {
  const value = Object.hasOwn(parent, key) ? parent[key] : undefined;
  return isObject(value) ? value : undefined;
}

function isSetIn(spec: unknown, group: string, field: string): boolean {
  if (!isObject(spec)) return false;
  const parent = childObject(spec, group);
  return parent !== undefined && !isAbsent(parent[field]);
}

/** Defaults that depend on nothing but the service: replicas and reference group/kind. */
function applyStaticDefaults(spec: JsonObject): void {
  if (isAbsent(spec.replicas)) spec.replicas = DEFAULT_REPLICAS;
  if (!Array.isArray(spec.templateRefs)) return;
  for (const reference of spec.templateRefs) {
    if (!isObject(reference)) continue;
    if (isAbsent(reference.group)) reference.group = API_GROUP;
    if (isAbsent(reference.kind)) reference.kind = INFERENCE_SERVICE_TEMPLATE;
  }
}

/**
 * Writes the defaults into a service's own spec, in place. `templateSpecs`
 * are the specs of the templates the service references; a value that any of
 * them sets is left for the merge to bring in.
 */
export function applyServiceDefaults(spec: JsonObject, templateSpecs: readonly unknown[]): void {
  applyStaticDefaults(spec);

  const targetSet = [spec, ...templateSpecs].some((source) => isSetIn(source, 'service', 'target'));
  if (!targetSet) {
    if (isAbsent(spec.service)) spec.service = { target: DEFAULT_SERVICE_TARGET };
    else if (isObject(spec.service)) spec.service.target = DEFAULT_SERVICE_TARGET;
  }

  // A `data` of the wrong type is left for validation to report, not copied.
  const parallelism = isObject(spec.parallelism) ? spec.parallelism : undefined;
  const dataLocalSet = [spec, ...templateSpecs].some((source) =>
    isSetIn(source, 'parallelism', 'dataLocal'),
  );
  if (parallelism && Number.isInteger(parallelism.data) && !dataLocalSet) {
    parallelism.dataLocal = parallelism.data;
  }
}

/** Writes every default into a merged spec, in place, before it is rendered. */
export function applyMergedDefaults(spec: JsonObject): void {
  applyStaticDefaults(spec);
  if (isAbsent(spec.service)) spec.service = { target: DEFAULT_SERVICE_TARGET };
  else if (isObject(spec.service) && isAbsent(spec.service.target)) {
    spec.service.target = DEFAULT_SERVICE_TARGET;
  }
  const parallelism = spec.parallelism;
  if (
    isObject(parallelism) &&
    Number.isInteger(parallelism.data) &&
    isAbsent(parallelism.dataLocal)
  ) {
    parallelism.dataLocal = parallelism.data;
  }
}
