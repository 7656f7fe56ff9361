// The scenarios of the benchmark: which review goes to which path. Sizes are
// of the whole AdmissionReview request body, in bytes of JSON.
import {
  envCountFor,
  referencedTemplates,
  referencingService,
  selfContainedService,
} from './fixtures.js';
import { createReview, deleteTemplateReview, PATHS, type ReviewBody } from './reviews.js';

export interface Scenario {
  id: string;
  title: string;
  path: string;
  review: ReviewBody;
}

/** Review sizes of the self-contained service (a), the one with references (b, c) and the big one (e). */
export const SMALL_REVIEW_BYTES = 2 * 1024;
export const REFERENCING_REVIEW_BYTES = 10 * 1024;
export const LARGE_REVIEW_BYTES = 200 * 1024;
/** The object-size series, in KiB of review body. */
export const OBJECT_SIZES_KIB = [2, 16, 128, 512, 1024];

let uidCounter = 0;

function nextUid(): string {
  uidCounter++;
  return `00000000-0000-4000-8000-${String(uidCounter).padStart(12, '0')}`;
}

function selfContainedReview(bytes: number): ReviewBody {
  const uid = nextUid();
  const size = (count: number): number =>
    createReview(selfContainedService(count), uid).body.length;
  return createReview(selfContainedService(envCountFor(bytes, size)), uid);
}

function referencingReview(bytes: number): ReviewBody {
  const uid = nextUid();
  const size = (count: number): number => createReview(referencingService(count), uid).body.length;
  return createReview(referencingService(envCountFor(bytes, size)), uid);
}

/**
 * Distinct reviews of the uncached scenario: more than the webhook's render
 * cache keeps (512 outcomes), so a review never finds its outcome cached.
 */
export const UNCACHED_VARIANTS = 1000;

/** Copies a review under `count` different service names, which the templates render. */
function renamedReviews(review: ReviewBody, count: number): ReviewBody {
  const variants: string[] = [];
  for (let i = 0; i < count; i++) {
    const parsed = JSON.parse(review.body) as {
      request: { name: string; object: { metadata: { name: string } } };
    };
    const name = `${parsed.request.name}-${String(i).padStart(4, '0')}`;
    parsed.request.name = name;
    parsed.request.object.metadata.name = name;
    variants.push(JSON.stringify(parsed));
  }
  return { body: variants[0], uid: review.uid, variants };
}

/** Scenarios a to e, in the order they run. */
export function mainScenarios(): Scenario[] {
  const referencing = referencingReview(REFERENCING_REVIEW_BYTES);
  const large = selfContainedReview(LARGE_REVIEW_BYTES);
  const templateKib = (referencedTemplates().specBytes / 1024).toFixed(1);
  return [
    {
      id: 'a',
      title: 'mutate, self-contained service',
      path: PATHS.mutate,
      review: selfContainedReview(SMALL_REVIEW_BYTES),
    },
    {
      id: 'b',
      title: `mutate, two template references (templates ${templateKib} KiB)`,
      path: PATHS.mutate,
      review: referencing,
    },
    {
      id: 'c',
      title: `validate, two template references (templates ${templateKib} KiB)`,
      path: PATHS.validate,
      review: referencing,
    },
    {
      id: 'c-uncached',
      title: `validate, two template references, ${UNCACHED_VARIANTS} service names in turn`,
      path: PATHS.validate,
      review: renamedReviews(referencing, UNCACHED_VARIANTS),
    },
    {
      id: 'd',
      title: 'delete template `vllm`, in use by every cached service',
      path: PATHS.validateTemplate,
      review: deleteTemplateReview(),
    },
    { id: 'e-mutate', title: 'mutate, big env list', path: PATHS.mutate, review: large },
    { id: 'e-validate', title: 'validate, big env list', path: PATHS.validate, review: large },
  ];
}

/** Returns the object-size series: a self-contained service of each size, sent to `path`. */
export function objectSizeScenarios(path: string, sizesKib: readonly number[]): Scenario[] {
  const verb = path === PATHS.mutate ? 'mutate' : 'validate';
  return sizesKib.map((kib) => ({
    id: `${verb}-${kib}KiB`,
    title: `${verb}, ${kib} KiB review`,
    path,
    review: selfContainedReview(kib * 1024),
  }));
}

export function reviewKib(scenario: Scenario): number {
  return scenario.review.body.length / 1024;
}
