// The contract between the HTTP edge and the pure webhook cores.
import type { ResponseBody } from './responses.js';
import type { AdmissionRequest } from './review.js';

/** One admission webhook: a URL path and a function from request to response. */
export interface Webhook {
  /** URL path, as in the upstream Odin webhook configurations. */
  readonly path: string;
  /** Short name for logs and metrics, such as `mutate-inferenceservice`. */
  readonly name: string;
  review(request: AdmissionRequest): Promise<ResponseBody>;
}
