// AdmissionReview request bodies for the scenarios, shaped like the ones the
// kube-apiserver sends (examples/reviews), and the check that a response is
// a well-formed AdmissionReview for the request.
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

const EXAMPLE_REVIEWS = new URL('../examples/reviews/', import.meta.url).pathname;
const SERVICE_RESOURCE = 'inferenceservices';
const TEMPLATE_RESOURCE = 'inferenceservicetemplates';

export const PATHS = {
  mutate: '/mutate-odin-moreh-io-v1alpha1-inferenceservice',
  validate: '/validate-odin-moreh-io-v1alpha1-inferenceservice',
  validateTemplate: '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate',
} as const;

export interface ReviewBody {
  body: string;
  uid: string;
  /**
   * Bodies that the load generator sends in turn instead of `body`, all with
   * the same uid, so that consecutive reviews differ.
   */
  variants?: string[];
}

function groupVersion(kind: string, resource: string): Json {
  const group = 'odin.moreh.io';
  const version = 'v1alpha1';
  return {
    kind: { group, version, kind },
    resource: { group, version, resource },
    requestKind: { group, version, kind },
    requestResource: { group, version, resource },
  };
}

/** Builds a CREATE review of an InferenceService. */
export function createReview(object: Json, uid: string): ReviewBody {
  const metadata = object.metadata as Json;
  const request = {
    uid,
    ...groupVersion('InferenceService', SERVICE_RESOURCE),
    name: metadata.name,
    namespace: metadata.namespace,
    operation: 'CREATE',
    userInfo: { username: 'bench-user', groups: ['system:authenticated'] },
    object,
    oldObject: null,
    dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
  };
  const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
  return { body: JSON.stringify(review), uid };
}

/** Reads the DELETE review of the `vllm` template from examples/reviews. */
export function deleteTemplateReview(): ReviewBody {
  const text = readFileSync(`${EXAMPLE_REVIEWS}delete-template-vllm.json`, 'utf8');
  const review = JSON.parse(text) as { request: Json };
  const expected = groupVersion('InferenceServiceTemplate', TEMPLATE_RESOURCE);
  if (JSON.stringify(review.request.kind) !== JSON.stringify(expected.kind)) {
    throw new Error(
      'examples/reviews/delete-template-vllm.json must review an InferenceServiceTemplate',
    );
  }
  return { body: JSON.stringify(review), uid: review.request.uid as string };
}

/**
 * Returns the verdict of `text` when it is an admission.k8s.io/v1
 * AdmissionReview whose response echoes `uid` and carries a boolean
 * `allowed`, and undefined when it is not.
 */
export function responseVerdict(text: string, uid: string): 'allowed' | 'denied' | undefined {
  let review: unknown;
  try {
    review = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof review !== 'object' || review === null) return undefined;
  const { apiVersion, kind, response } = review as Json;
  if (apiVersion !== 'admission.k8s.io/v1' || kind !== 'AdmissionReview') return undefined;
  if (typeof response !== 'object' || response === null) return undefined;
  const fields = response as Json;
  if (fields.uid !== uid || typeof fields.allowed !== 'boolean') return undefined;
  return fields.allowed ? 'allowed' : 'denied';
}
