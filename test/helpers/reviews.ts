// Builders of real AdmissionReview requests for the tests, shaped like the
// ones kube-apiserver sends.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  AdmissionRequest,
  AdmissionReview,
  JsonObject,
  Operation,
} from '../../src/admission/review.js';
import { parseYamlDocuments } from '../../src/templates/file-source.js';

const RESOURCES: Record<string, string> = {
  InferenceService: 'inferenceservices',
  InferenceServiceTemplate: 'inferenceservicetemplates',
};

export interface RequestOptions {
  operation?: Operation;
  object?: JsonObject | null;
  oldObject?: JsonObject | null;
  subResource?: string;
  dryRun?: boolean;
  kind?: string;
  uid?: string;
}

/** Builds an admission request for an object, taking kind, name and namespace from it. */
export function admissionRequest(options: RequestOptions): AdmissionRequest {
  const source = (options.object ?? options.oldObject ?? {}) as JsonObject;
  const metadata = (source.metadata ?? {}) as { name?: string; namespace?: string };
  const kind = options.kind ?? String(source.kind ?? 'InferenceService');
  const group = { group: 'odin.moreh.io', version: 'v1alpha1' };
  const resource = { ...group, resource: RESOURCES[kind] ?? `${kind.toLowerCase()}s` };
  const operation = options.operation ?? 'CREATE';
  return {
    uid: options.uid ?? randomUUID(),
    kind: { ...group, kind },
    resource,
    requestKind: { ...group, kind },
    requestResource: resource,
    ...(options.subResource
      ? { subResource: options.subResource, requestSubResource: options.subResource }
      : {}),
    name: metadata.name,
    namespace: metadata.namespace,
    operation,
    userInfo: { username: 'test-user', groups: ['system:authenticated'] },
    object: options.object ?? null,
    oldObject: options.oldObject ?? null,
    dryRun: options.dryRun ?? false,
    options: {
      apiVersion: 'meta.k8s.io/v1',
      kind: `${operation[0]}${operation.slice(1).toLowerCase()}Options`,
    },
  };
}

export function admissionReview(
  options: RequestOptions,
  apiVersion = 'admission.k8s.io/v1',
): AdmissionReview {
  return {
    apiVersion,
    kind: 'AdmissionReview',
    request: admissionRequest(options),
  } as AdmissionReview;
}

/** Reads the single object of a YAML file. */
export function readObject(path: string): JsonObject {
  const [document] = parseYamlDocuments(readFileSync(path, 'utf8'), path);
  return document as JsonObject;
}

/** Decodes a response's base64 JSON Patch, or returns [] when there is none. */
export function decodePatch(
  patch: string | undefined,
): Array<{ op: string; path: string; value?: unknown }> {
  return patch === undefined
    ? []
    : (JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as never);
}
