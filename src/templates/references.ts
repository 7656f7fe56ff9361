// Template references: which group and kind a reference may name, and
// their defaults. A reference resolves only to an InferenceServiceTemplate of
// odin.moreh.io; an empty group or kind means that one.
import { API_GROUP, INFERENCE_SERVICE_TEMPLATE, type TemplateReference } from '../api/types.js';

export const SUPPORTED_GROUPS = [API_GROUP] as const;
export const SUPPORTED_KINDS = [INFERENCE_SERVICE_TEMPLATE] as const;

export function isSupportedGroup(group: unknown): boolean {
  return group === undefined || group === null || group === '' || group === API_GROUP;
}

export function isSupportedKind(kind: unknown): boolean {
  return kind === undefined || kind === null || kind === '' || kind === INFERENCE_SERVICE_TEMPLATE;
}

export function isSupportedReference(reference: TemplateReference): boolean {
  return isSupportedGroup(reference.group) && isSupportedKind(reference.kind);
}

/** Returns the references of a spec, or none when `templateRefs` is not a list of objects. */
export function templateReferencesOf(spec: unknown): TemplateReference[] {
  if (typeof spec !== 'object' || spec === null) return [];
  const references = (spec as { templateRefs?: unknown }).templateRefs;
  if (!Array.isArray(references)) return [];
  return references.filter(
    (reference): reference is TemplateReference =>
      typeof reference === 'object' && reference !== null && !Array.isArray(reference),
  );
}
