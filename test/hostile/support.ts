// Shared pieces of the hostile-input tests: the real webhooks over in-memory
// templates, the fastify app around them, the checks every response must pass,
// and a guard on Object.prototype.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Test } from 'tap';
import type { AdmissionRequest, AdmissionReview, JsonObject } from '../../src/admission/review.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { buildApp } from '../../src/app.js';
import type { InferenceServiceTemplate } from '../../src/api/types.js';
import { MemoryServiceIndex, MemoryTemplateSource } from '../../src/templates/memory-source.js';
import { createWebhooks, type WebhookDependencies } from '../../src/webhooks/index.js';
import { applyStrict, type PatchOperation } from './strict-patch.js';

export const SYSTEM_NAMESPACE = 'mif';
export const SERVICE_NAMESPACE = 'team-a';
export const GROUP_VERSION = { group: 'odin.moreh.io', version: 'v1alpha1' };

export const MUTATE_PATH = '/mutate-odin-moreh-io-v1alpha1-inferenceservice';
export const VALIDATE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservice';
export const TEMPLATE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate';
export const WEBHOOK_PATHS = [MUTATE_PATH, VALIDATE_PATH, TEMPLATE_PATH] as const;

/** Names of the templates that generated services reference; `missing` never exists. */
export const TEMPLATE_NAMES = ['base', 'preset', 'overlay', 'missing'] as const;

export function templateObject(
  namespace: string,
  name: string,
  spec: unknown,
): InferenceServiceTemplate {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name, namespace },
    spec,
  } as InferenceServiceTemplate;
}

export function serviceObject(spec: unknown, name = 'demo'): JsonObject {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name, namespace: SERVICE_NAMESPACE },
    spec,
  };
}

/** A plausible runtime base that every generated service may reference as `base`. */
export const BASE_TEMPLATE_SPEC = {
  framework: 'vllm',
  template: {
    spec: {
      containers: [
        {
          name: 'main',
          image: 'registry.example.com/vllm:1',
          args: ['--tensor-parallel-size={{ deref .Spec "Parallelism" "Tensor" | default 1 }}'],
          env: [{ name: 'MODEL', value: '{{ deref .Spec "Model" "Name" }}' }],
        },
      ],
    },
  },
};

/** Returns the webhook served at `path`; throws when there is none. */
export function webhookAt(fix: Fixture, path: string): Webhook {
  const webhook = fix.byPath.get(path);
  if (webhook === undefined) throw new Error(`no webhook at ${path}`);
  return webhook;
}

export interface Fixture {
  templates: MemoryTemplateSource;
  services: MemoryServiceIndex;
  dependencies: WebhookDependencies;
  webhooks: Webhook[];
  byPath: Map<string, Webhook>;
}

/**
 * Builds the three real webhooks over in-memory templates. `templateSpecs`
 * become the templates `base`, `preset` and `overlay` of the system namespace.
 */
export function fixture(templateSpecs: readonly unknown[] = [BASE_TEMPLATE_SPEC]): Fixture {
  const templates = new MemoryTemplateSource(SYSTEM_NAMESPACE);
  templateSpecs.forEach((spec, index) => {
    templates.put(templateObject(SYSTEM_NAMESPACE, TEMPLATE_NAMES[index], spec));
  });
  const services = new MemoryServiceIndex(SYSTEM_NAMESPACE, templates, SERVICE_NAMESPACE);
  const dependencies = { templates, services, systemNamespace: SYSTEM_NAMESPACE };
  const webhooks = createWebhooks(dependencies);
  return {
    templates,
    services,
    dependencies,
    webhooks,
    byPath: new Map(webhooks.map((webhook) => [webhook.path, webhook])),
  };
}

/** Creates a pino logger that keeps every line in memory, so tests can search the text. */
export function memoryLogger(): { logger: pino.Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), text: () => chunks.join('') };
}

/** Creates a pino logger at info level that drops every line, for runs that measure memory. */
export function discardingLogger(): pino.Logger {
  const stream = new Writable({
    write(_chunk: Buffer, _encoding, callback): void {
      callback();
    },
  });
  return pino({ level: 'info' }, stream);
}

/** Builds the fastify app with the real webhooks, served through inject() only. */
export async function hostileApp(
  t: Test,
  webhooks: readonly Webhook[],
): Promise<{ app: FastifyInstance; logText: () => string }> {
  const { logger, text } = memoryLogger();
  const app = buildApp({ webhooks, logger });
  await app.ready();
  t.teardown(() => app.close());
  return { app, logText: text };
}

/** Builds an admission request for odin.moreh.io/v1alpha1 with `kind` given by name. */
export function admissionRequest(
  fields: Omit<Partial<AdmissionRequest>, 'kind'> & { kind?: string },
): AdmissionRequest {
  const kind = fields.kind ?? 'InferenceService';
  const resource = kind === 'InferenceService' ? 'inferenceservices' : 'inferenceservicetemplates';
  return {
    uid: 'fuzz-uid',
    operation: 'CREATE',
    namespace: SERVICE_NAMESPACE,
    ...fields,
    kind: { ...GROUP_VERSION, kind },
    resource: { ...GROUP_VERSION, resource },
  } as AdmissionRequest;
}

export function reviewOf(
  request: AdmissionRequest,
  apiVersion = 'admission.k8s.io/v1',
): AdmissionReview {
  return { apiVersion, kind: 'AdmissionReview', request } as AdmissionReview;
}

export function decodePatch(patch: string): PatchOperation[] {
  return JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as PatchOperation[];
}

/** The fields of a review response that the checks read. */
export interface ResponseFields {
  allowed?: unknown;
  status?: { code?: unknown; message?: unknown };
  patch?: unknown;
  patchType?: unknown;
  warnings?: unknown;
}

function denialProblems(response: ResponseFields): string[] {
  if (typeof response.allowed !== 'boolean') return ['`allowed` is not a boolean'];
  if (response.allowed) return [];
  const problems: string[] = [];
  const code = response.status?.code;
  if (typeof code !== 'number') problems.push('a denial has no status code');
  else if (code >= 500 && code !== 503) problems.push(`denied with code ${code}`);
  if (typeof response.status?.message !== 'string') problems.push('a denial has no message');
  return problems;
}

/** Checks warnings against the HTTP headers the apiserver sends them in: at most 10 lines of 120 characters. */
function warningProblems(warnings: unknown): string[] {
  if (warnings === undefined) return [];
  if (!Array.isArray(warnings) || warnings.length > 10) return ['more than 10 warnings'];
  return warnings
    .filter(
      (warning) => typeof warning !== 'string' || warning.length > 120 || /[\r\n]/.test(warning),
    )
    .map((warning) => `warning unfit for a header: ${JSON.stringify(warning).slice(0, 80)}`);
}

function patchProblems(request: AdmissionRequest, response: ResponseFields): string[] {
  if (response.patch === undefined) {
    return response.patchType === undefined ? [] : ['patchType without a patch'];
  }
  const problems: string[] = [];
  if (response.patchType !== 'JSONPatch') problems.push('a patch without patchType JSONPatch');
  if (response.allowed !== true) problems.push('a patch on a denial');
  try {
    applyStrict(request.object, decodePatch(String(response.patch)));
  } catch (error) {
    problems.push(`patch does not apply: ${(error as Error).message}`);
  }
  return problems;
}

/**
 * Problems with one review response of the webhook cores, as text; none means
 * it passed. A response must be allowed, or denied with a Status other than
 * the generic 500 of `errored()`; a 503 while the caches sync is fine. A patch
 * must be base64 JSON that a strict RFC 6902 applier accepts on the request object.
 */
export function responseProblems(request: AdmissionRequest, response: ResponseFields): string[] {
  return [
    ...denialProblems(response),
    ...warningProblems(response.warnings),
    ...patchProblems(request, response),
  ];
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Array.prototype).sort();

/** Problems with Object.prototype and Array.prototype after hostile input; none means untouched. */
export function prototypeProblems(): string[] {
  const problems: string[] = [];
  const names = Object.getOwnPropertyNames(Object.prototype).sort();
  if (names.join() !== PROTOTYPE_NAMES.join())
    problems.push(`Object.prototype keys: ${names.join()}`);
  const arrayNames = Object.getOwnPropertyNames(Array.prototype).sort();
  if (arrayNames.join() !== ARRAY_PROTOTYPE_NAMES.join()) problems.push('Array.prototype changed');
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'x', 'name', 'image', 'spec', 'target']) {
    if (probe[key] !== undefined) problems.push(`{}.${key} is defined`);
  }
  return problems;
}

/** Builds an object from entries with defineProperty, so `__proto__` stays an own key. */
export function objectFrom(
  entries: ReadonlyArray<readonly [string, unknown]>,
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}
