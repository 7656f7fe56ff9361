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
  type RenderMeta,
  type RenderProblem,
} from '../render/index.js';
import { resolveTemplates, type ResolvedTemplate } from '../templates/resolve.js';
import { templateReferencesOf } from '../templates/references.js';
import type { TemplateSource } from '../templates/source.js';
import { applyMergedDefaults, copyWritableSpec, isObject } from './defaults.js';
import { chainKey, type RenderCache } from './render-cache.js';
import { duplicateReferenceWarnings, overrideWarnings } from './warnings.js';

export interface RenderOptions {
  systemNamespace: string;
  /** The request's namespace, which wins over `metadata.namespace`. */
  namespace?: string;
  renderLimits?: Partial<RenderLimits>;
  /**
   * Caches of merged template chains and outcomes. One cache serves one
   * system namespace and one set of render limits.
   */
  cache?: RenderCache<RenderedService>;
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

  const metadata = isObject(service.metadata) ? service.metadata : {};
  const labels = isObject(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const { cache } = options;
  const key = cache?.outcomeKey(
    { name, namespace, labels },
    resolution.templates.map((resolved) => resolved.template),
    spec,
  );
  const cached = key === undefined ? undefined : cache?.outcome(key);
  if (cached !== undefined) return cached;

  const outcome = renderResolved(spec, resolution.templates, { name, namespace, labels }, options);
  if (key !== undefined && outcome.cacheable) cache?.storeOutcome(key, outcome.service);
  return outcome.service;
}

/**
 * Merges, renders and validates a spec whose templates resolved. An outcome
 * is cacheable unless rendering failed, because a render can fail on its
 * deadline, which depends on the machine's load rather than on the input.
 */
function renderResolved(
  spec: JsonObject,
  templates: readonly ResolvedTemplate[],
  meta: RenderMeta,
  options: RenderOptions,
): { service: RenderedService; cacheable: boolean } {
  const parseErrors = templates.flatMap(templateParseErrors);
  if (parseErrors.length > 0)
    return { service: { errors: parseErrors, warnings: [] }, cacheable: true };

  const merged = mergeAll(templates, spec, options.cache);
  if ('error' in merged)
    return { service: { errors: [merged.error], warnings: [] }, cacheable: true };
  applyMergedDefaults(merged.spec);

  const rendered = renderSpec(merged.spec, meta, { limits: options.renderLimits });
  const sources = [...templates].reverse();
  const errors = rendered.errors.map((problem) => renderError(problem, merged.spec, spec, sources));
  const warnings = [
    ...duplicateReferenceWarnings(templates),
    ...overrideWarnings(spec, templates),
    ...rendered.warnings.map((problem) => `${problem.path}: ${problem.message}`),
  ];
  if (errors.length > 0) return { service: { errors, warnings }, cacheable: false };

  errors.push(...validateRenderedSpec(rendered.spec));
  return {
    service: { spec: rendered.spec as InferenceServiceSpec, errors, warnings },
    cacheable: true,
  };
}

/**
 * Parse problems of each template object's strings. A stored template is
 * never changed in place (see render-cache.ts), so they are computed once.
 */
const parseProblems = new WeakMap<object, RenderProblem[]>();

function templateStringProblems(template: ResolvedTemplate['template']): RenderProblem[] {
  let problems = parseProblems.get(template);
  if (problems === undefined) {
    problems = checkTemplateStrings(template.spec ?? {}, 'spec');
    parseProblems.set(template, problems);
  }
  return problems;
}

/** Returns parse errors of a template, on the reference: they make every service that uses it invalid. */
function templateParseErrors(resolved: ResolvedTemplate): FieldError[] {
  return templateStringProblems(resolved.template).map((problem) =>
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
 * The merged templates are taken from the cache when it has them.
 */
function mergeAll(
  templates: readonly ResolvedTemplate[],
  spec: JsonObject,
  cache?: RenderCache<RenderedService>,
): MergeOutcome {
  if (templates.length === 0) {
    try {
      // Without directives the spec itself comes back, and the defaults must not write into it.
      return { spec: copyWritableSpec(stripDirectives(spec) as JsonObject) };
    } catch (error) {
      if (!(error instanceof MergeError)) throw error;
      // stripDirectives names paths from the spec's own root.
      return { error: fieldErrors.invalid(specPath(error.path), undefined, error.message) };
    }
  }
  const key = chainKey(templates.map((resolved) => resolved.template));
  let chain = cache?.chain(key);
  if (chain === undefined) {
    const merged = mergeTemplates(templates);
    if ('error' in merged) return merged;
    chain = merged.spec;
    cache?.storeChain(key, chain);
  }
  try {
    return { spec: mergeSpec(chain, spec) };
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    return { error: fieldErrors.invalid(error.path || 'spec', undefined, error.message) };
  }
}

/** Merges the templates alone, in order; a failure names the template that could not be merged. */
function mergeTemplates(templates: readonly ResolvedTemplate[]): MergeOutcome {
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
  return { spec: merged };
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
