// The rendered spec of an InferenceService: resolve its templates, merge
// them and the service's own spec with strategic merge patch, apply every
// default, execute the Go template expressions, and validate the result.
// Pure: the template source is the only dependency.
import { fieldErrors, FieldPath, type FieldError } from '../admission/field-errors.js';
import type { JsonObject } from '../admission/review.js';
import { validateRenderedSpec } from '../api/index.js';
import type { InferenceService, InferenceServiceSpec } from '../api/types.js';
import { MergeError, mergeSpec, stripDirectives } from '../merge/index.js';
import {
  checkTemplateStrings,
  renderSpec,
  type RenderLimits,
  type RenderProblem,
} from '../render/index.js';
import { resolveTemplates, type ResolvedTemplate } from '../templates/resolve.js';
import { templateReferencesOf } from '../templates/references.js';
import type { TemplateSource } from '../templates/source.js';
import { applyMergedDefaults, isObject } from './defaults.js';
import { duplicateReferenceWarnings, overrideWarnings } from './warnings.js';

export interface RenderOptions {
  systemNamespace: string;
  /** The request's namespace, which wins over `metadata.namespace`. */
  namespace?: string;
  renderLimits?: Partial<RenderLimits>;
}

export interface RenderedService {
  /** The rendered spec; absent when resolving or merging failed. */
  spec?: InferenceServiceSpec;
  errors: FieldError[];
  warnings: string[];
}

/** Returns the namespace a service lives in, as the apiserver would store it. */
export function namespaceOf(
  object: { metadata?: { namespace?: unknown } },
  requestNamespace?: string,
): string {
  if (typeof requestNamespace === 'string' && requestNamespace !== '') return requestNamespace;
  const namespace = object.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
}

export function renderInferenceService(
  service: InferenceService,
  templates: TemplateSource,
  options: RenderOptions,
): RenderedService {
  const spec = (isObject(service.spec) ? service.spec : {}) as JsonObject;
  const namespace = namespaceOf(service, options.namespace);
  const resolution = resolveTemplates(
    templateReferencesOf(spec),
    namespace,
    templates,
    options.systemNamespace,
  );
  if (resolution.errors.length > 0) return { errors: resolution.errors, warnings: [] };

  const parseErrors = resolution.templates.flatMap(templateParseErrors);
  if (parseErrors.length > 0) return { errors: parseErrors, warnings: [] };

  const merged = mergeAll(resolution.templates, spec);
  if ('error' in merged) return { errors: [merged.error], warnings: [] };
  applyMergedDefaults(merged.spec);

  const metadata = isObject(service.metadata) ? service.metadata : {};
  const labels = isObject(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const rendered = renderSpec(
    merged.spec,
    { name, namespace, labels },
    { limits: options.renderLimits },
  );
  const sources = [...resolution.templates].reverse();
  const errors = rendered.errors.map((problem) => renderError(problem, merged.spec, spec, sources));
  const warnings = [
    ...duplicateReferenceWarnings(resolution.templates),
    ...overrideWarnings(spec, resolution.templates),
    ...rendered.warnings.map((problem) => `${problem.path}: ${problem.message}`),
  ];
  if (errors.length > 0) return { errors, warnings };

  errors.push(...validateRenderedSpec(rendered.spec));
  return { spec: rendered.spec as InferenceServiceSpec, errors, warnings };
}

/** Returns parse errors of a template, on the reference: they make every service that uses it invalid. */
function templateParseErrors(resolved: ResolvedTemplate): FieldError[] {
  const problems = checkTemplateStrings(resolved.template.spec ?? {}, 'spec');
  return problems.map((problem) =>
    fieldErrors.invalid(
      FieldPath.root('spec.templateRefs').index(resolved.index).child('name'),
      resolved.name,
      `template "${resolved.namespace}/${resolved.name}" is invalid: ${problem.path}: ${problem.message}`,
    ),
  );
}

type MergeOutcome = { spec: JsonObject } | { error: FieldError };

/**
 * Merges the templates in order and the service's spec last. The first spec
 * is the base, with its directives removed because there is nothing under it
 * to patch. Each next spec is a strategic merge patch over the result so far.
 */
function mergeAll(templates: readonly ResolvedTemplate[], spec: JsonObject): MergeOutcome {
  let merged: JsonObject = {};
  for (const [position, resolved] of templates.entries()) {
    const templateSpec = (resolved.template.spec ?? {}) as JsonObject;
    try {
      merged =
        position === 0
          ? (stripDirectives(templateSpec) as JsonObject)
          : mergeSpec(merged, templateSpec);
    } catch (error) {
      if (!(error instanceof MergeError)) throw error;
      const path = FieldPath.root('spec.templateRefs').index(resolved.index).child('name');
      const detail = `template "${resolved.namespace}/${resolved.name}" cannot be merged: ${error.message}`;
      return { error: fieldErrors.invalid(path, resolved.name, detail) };
    }
  }
  try {
    if (templates.length > 0) return { spec: mergeSpec(merged, spec) };
    return { spec: stripDirectives(spec) as JsonObject };
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    // stripDirectives names paths from the spec's own root, mergeSpec from `spec`.
    const path = templates.length > 0 ? error.path : specPath(error.path);
    return { error: fieldErrors.invalid(path || 'spec', undefined, error.message) };
  }
}

/** Prefixes `spec` to a path relative to the spec, such as `x[0]` or `[key]`. */
function specPath(relative: string): string {
  if (relative === '' || relative.startsWith('[')) return `spec${relative}`;
  return `spec.${relative}`;
}

/** Names the source of a failed expression: the service itself or the last template that contains the text. */
function renderError(
  problem: RenderProblem,
  merged: JsonObject,
  serviceSpec: JsonObject,
  templatesLastFirst: readonly ResolvedTemplate[],
): FieldError {
  const text = stringAt(merged, problem.path);
  let origin = '';
  if (text !== undefined && !containsString(serviceSpec, text)) {
    const source = templatesLastFirst.find((resolved) =>
      containsString(resolved.template.spec, text),
    );
    if (source) origin = `in template "${source.namespace}/${source.name}": `;
  }
  return fieldErrors.invalid(problem.path, undefined, `${origin}${problem.message}`);
}

/** Reads the string at a field path such as `spec.template.spec.containers[0].args[0]`. */
function stringAt(spec: JsonObject, path: string): string | undefined {
  const segments = path.replace(/^spec\.?/, '').match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  let value: unknown = spec;
  for (const segment of segments) {
    const key = segment.startsWith('[') ? segment.slice(1, -1) : segment;
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isObject(value) && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

function containsString(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value === text;
  if (Array.isArray(value)) return value.some((item) => containsString(item, text));
  if (isObject(value)) return Object.values(value).some((item) => containsString(item, text));
  return false;
}
