// Advice that does not block: overrides that cannot take effect.
import type { JsonObject } from '../admission/review.js';
import type { ResolvedTemplate } from '../templates/resolve.js';
import { isObject } from './defaults.js';

const POD_TEMPLATES = ['template', 'workerTemplate'] as const;

/**
 * Warns when the service overrides a pod template that none of its templates
 * define while they do define the other one: the override then creates a
 * second, incomplete pod template instead of changing the intended one.
 */
export function overrideWarnings(
  spec: JsonObject,
  templates: readonly ResolvedTemplate[],
): string[] {
  if (templates.length === 0) return [];
  const defined = (field: string): boolean =>
    templates.some((resolved) => isObject(resolved.template.spec?.[field as 'template']));
  const warnings: string[] = [];
  for (const field of POD_TEMPLATES) {
    const other = field === 'template' ? 'workerTemplate' : 'template';
    if (isObject(spec[field]) && !defined(field) && defined(other)) {
      warnings.push(
        `spec.${field} is set, but its templates define only spec.${other}: put overrides under spec.${other}`,
      );
    }
  }
  return warnings;
}

/** Warns about a template referenced twice: the second reference changes nothing. */
export function duplicateReferenceWarnings(templates: readonly ResolvedTemplate[]): string[] {
  const seen = new Map<string, number>();
  const warnings: string[] = [];
  for (const resolved of templates) {
    const key = `${resolved.namespace}/${resolved.name}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, resolved.index);
    else
      warnings.push(
        `spec.templateRefs[${resolved.index}] repeats spec.templateRefs[${first}] (${resolved.name})`,
      );
  }
  return warnings;
}
