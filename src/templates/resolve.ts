// Resolves `spec.templateRefs`: each name is looked up in the service's own
// namespace, then in the system namespace, and never anywhere else, so a
// service cannot read another team's templates.
import { fieldErrors, FieldPath, type FieldError } from '../admission/field-errors.js';
import type { InferenceServiceTemplate, TemplateReference } from '../api/types.js';
import {
  isSupportedGroup,
  isSupportedKind,
  SUPPORTED_GROUPS,
  SUPPORTED_KINDS,
} from './references.js';
import type { TemplateSource } from './source.js';

export interface ResolvedTemplate {
  /** Position in `spec.templateRefs`. */
  index: number;
  namespace: string;
  name: string;
  template: InferenceServiceTemplate;
}

export interface Resolution {
  templates: ResolvedTemplate[];
  errors: FieldError[];
}

/** Returns the namespaces searched for a service in `namespace`, in order. */
export function searchedNamespaces(namespace: string, systemNamespace: string): string[] {
  return namespace === systemNamespace ? [namespace] : [namespace, systemNamespace];
}

export function resolveTemplates(
  references: readonly unknown[],
  namespace: string,
  source: TemplateSource,
  systemNamespace: string,
): Resolution {
  const resolution: Resolution = { templates: [], errors: [] };
  const namespaces = searchedNamespaces(namespace, systemNamespace);

  references.forEach((value, index) => {
    const path = FieldPath.root('spec.templateRefs').index(index);
    const reference = (
      typeof value === 'object' && value !== null ? value : {}
    ) as TemplateReference;
    const errors = checkReference(reference, path);
    if (errors.length > 0) {
      resolution.errors.push(...errors);
      return;
    }
    const name = reference.name as string;
    for (const candidate of namespaces) {
      const template = source.getTemplate(candidate, name);
      if (template) {
        resolution.templates.push({ index, namespace: candidate, name, template });
        return;
      }
    }
    resolution.errors.push(
      fieldErrors.notFound(
        path.child('name'),
        name,
        `no InferenceServiceTemplate of that name in namespaces ${namespaces.map((ns) => `"${ns}"`).join(', ')}`,
      ),
    );
  });
  return resolution;
}

function checkReference(reference: TemplateReference, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (!isSupportedGroup(reference.group)) {
    errors.push(fieldErrors.notSupported(path.child('group'), reference.group, SUPPORTED_GROUPS));
  }
  if (!isSupportedKind(reference.kind)) {
    errors.push(fieldErrors.notSupported(path.child('kind'), reference.kind, SUPPORTED_KINDS));
  }
  if (typeof reference.name !== 'string' || reference.name === '') {
    errors.push(fieldErrors.required(path.child('name'), 'a template name is required'));
  }
  return errors;
}
