// Prometheus metrics of the admission server. The names follow
// controller-runtime's webhook metrics (requests total, latency histogram,
// requests in flight) under the `odin_webhook_` prefix, labelled by webhook
// name, operation and result. A registry of its own keeps them apart from
// anything else in the process that uses prom-client's global registry.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReviewRecorder, ReviewResult } from '../admission/review-log.js';

/** Operation label of requests that never became a review, such as a body that is not JSON. */
const UNKNOWN_OPERATION = 'unknown';

export interface WebhookMetrics extends ReviewRecorder {
  readonly registry: Registry;
}

/** Creates the metrics and a registry with them and the default process metrics. */
export function createWebhookMetrics(): WebhookMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'odin_webhook_requests_total',
    help: 'Admission requests by webhook, operation and result (allowed, denied, error).',
    labelNames: ['webhook', 'operation', 'result'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'odin_webhook_request_duration_seconds',
    help: 'Time from the first byte of an admission request to its decision, in seconds.',
    labelNames: ['webhook', 'operation'] as const,
    // Prometheus' default buckets, 5 ms to 10 s; the apiserver gives up after at most 30 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'odin_webhook_requests_in_flight',
    help: 'Admission reviews being decided now, by webhook.',
    labelNames: ['webhook'] as const,
    registers: [registry],
  });

  return {
    registry,
    reviewStarted(webhook: string): void {
      inFlight.inc({ webhook });
    },
    reviewFinished(
      webhook: string,
      operation: string,
      result: ReviewResult,
      seconds: number,
    ): void {
      inFlight.dec({ webhook });
      requests.inc({ webhook, operation, result });
      duration.observe({ webhook, operation }, seconds);
    },
    requestRejected(webhook: string): void {
      requests.inc({ webhook, operation: UNKNOWN_OPERATION, result: 'error' });
    },
  };
}
