// Metrics of the compiled server against what was sent. Bounded autocannon
// runs (a fixed `amount` each) send allowed and denied reviews to the three
// webhooks, then a plain client sends malformed requests and requests to an
// unknown path. Then `/metrics` on the
// health port must count each request once, under the right webhook,
// operation and result, and show no review in flight.
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import t, { type Test } from 'tap';
import { makeServingFiles, post, writeServingFiles } from '../server/helpers.js';
import {
  exampleReview,
  type ExpectedDecision,
  firstOf,
  PATHS,
  requireBuild,
  runReviewLoad,
  scrapeMetrics,
  spawnServer,
  waitUntil,
} from './support.js';

requireBuild();

const REQUESTS_TOTAL = 'odin_webhook_requests_total';
const DURATION = 'odin_webhook_request_duration_seconds';
const IN_FLIGHT = 'odin_webhook_requests_in_flight';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the samples of the Prometheus text format, skipping comments and blank lines. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (match === null) throw new Error(`invalid line in /metrics: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label[1]] = label[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sums the samples of `name` by the values of `labels`, joined with '/'. */
function sumBy(samples: Sample[], name: string, labels: string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const sample of samples.filter((candidate) => candidate.name === name)) {
    const key = labels.map((label) => sample.labels[label]).join('/');
    sums[key] = (sums[key] ?? 0) + sample.value;
  }
  return sums;
}

function total(sums: Record<string, number>): number {
  return Object.values(sums).reduce((sum, value) => sum + value, 0);
}

interface ReviewBatch {
  review: string;
  path: string;
  amount: number;
  connections: number;
  expected: ExpectedDecision;
  /** The series it must count under: webhook/operation/result. */
  series: string;
}

const REVIEW_BATCHES: ReviewBatch[] = [
  {
    review: 'mutate-llama-tp2',
    path: PATHS.mutate,
    amount: 600,
    connections: 4,
    expected: { allowed: true, patch: true },
    series: 'mutate-inferenceservice/CREATE/allowed',
  },
  {
    review: 'validate-llama-tp2',
    path: PATHS.validate,
    amount: 150,
    connections: 2,
    expected: { allowed: true },
    series: 'validate-inferenceservice/CREATE/allowed',
  },
  {
    review: 'validate-pipeline-and-data',
    path: PATHS.validate,
    amount: 120,
    connections: 2,
    expected: { allowed: false, code: 422 },
    series: 'validate-inferenceservice/CREATE/denied',
  },
  {
    review: 'delete-template-vllm',
    path: PATHS.validateTemplate,
    amount: 80,
    connections: 2,
    expected: { allowed: false, code: 403 },
    series: 'validate-inferenceservicetemplate/DELETE/denied',
  },
];

interface RawBatch {
  name: string;
  path: string;
  body: string;
  amount: number;
  status: number;
  /** The series it must count under, or undefined for a path that is no webhook. */
  series?: string;
}

const RAW_BATCHES: RawBatch[] = [
  {
    name: 'body that is not JSON',
    path: PATHS.validate,
    body: '{"apiVersion":',
    amount: 40,
    status: 400,
    series: 'validate-inferenceservice/unknown/error',
  },
  {
    name: 'JSON that is no AdmissionReview',
    path: PATHS.mutate,
    body: '{"kind":"Pod"}',
    amount: 30,
    status: 400,
    series: 'mutate-inferenceservice/unknown/error',
  },
  {
    name: 'unknown path',
    path: '/mutate-pods',
    body: '{}',
    amount: 20,
    status: 404,
  },
];

const RAW_CONCURRENCY = 4;
const DEADLINE_MS = 30_000;

async function sendReviews(t: Test, port: number, batch: ReviewBatch): Promise<void> {
  const load = runReviewLoad({
    port,
    path: batch.path,
    review: await exampleReview(batch.review),
    expected: batch.expected,
    connections: batch.connections,
    amount: batch.amount,
    uidPrefix: batch.review,
    deadlineMs: DEADLINE_MS,
  });
  const result = await load.done;
  t.equal(result.errors, 0, `${batch.review}: no connection errors`);
  t.equal(load.problems.length, 0, `${batch.review}: every response is the expected decision`, {
    problems: firstOf(load.problems),
  });
  t.equal(load.answered.size, batch.amount, `${batch.review}: ${batch.amount} reviews answered`);
}

/**
 * Sends a batch over a new connection per request, a few at a time. Fastify
 * closes the connection after a body it cannot parse, and autocannon would
 * write its next request into that closed connection and lose it.
 */
async function sendRaw(t: Test, port: number, ca: string, batch: RawBatch): Promise<void> {
  const statuses: Record<string, number> = {};
  for (let sent = 0; sent < batch.amount; sent += RAW_CONCURRENCY) {
    const size = Math.min(RAW_CONCURRENCY, batch.amount - sent);
    const responses = await Promise.all(
      Array.from({ length: size }, () => post(port, batch.path, { ca, body: batch.body })),
    );
    for (const response of responses) {
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }
  t.same(
    statuses,
    { [batch.status]: batch.amount },
    `${batch.name}: ${batch.amount} responses with HTTP ${batch.status}`,
  );
}

void t.test('metrics count every request once', async (t) => {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const server = await spawnServer(t, { certFile: paths.certFile, keyFile: paths.keyFile });

  const before = parseMetrics(await scrapeMetrics(server.healthPort));
  t.same(sumBy(before, REQUESTS_TOTAL, ['webhook']), {}, 'no request is counted before the load');

  const started = performance.now();
  for (const batch of REVIEW_BATCHES) await sendReviews(t, server.admissionPort, batch);
  for (const batch of RAW_BATCHES) await sendRaw(t, server.admissionPort, serving.caCert, batch);
  const elapsedMs = performance.now() - started;

  const samples = parseMetrics(await scrapeMetrics(server.healthPort));
  const expectedRequests: Record<string, number> = {};
  for (const batch of [...REVIEW_BATCHES, ...RAW_BATCHES]) {
    if (batch.series !== undefined) {
      expectedRequests[batch.series] = (expectedRequests[batch.series] ?? 0) + batch.amount;
    }
  }
  const requests = sumBy(samples, REQUESTS_TOTAL, ['webhook', 'operation', 'result']);
  t.same(requests, expectedRequests, `${REQUESTS_TOTAL} by webhook, operation and result`);
  const sentToWebhooks = total(expectedRequests);
  t.equal(
    total(requests),
    sentToWebhooks,
    `${REQUESTS_TOTAL} sums to the requests sent to webhooks`,
  );

  // The histogram observes decided reviews only, because a request rejected
  // before decoding has no operation to label it with.
  const expectedDurations: Record<string, number> = {};
  for (const batch of REVIEW_BATCHES) {
    const key = batch.series.split('/').slice(0, 2).join('/');
    expectedDurations[key] = (expectedDurations[key] ?? 0) + batch.amount;
  }
  const reviewsSent = total(expectedDurations);
  const counts = sumBy(samples, `${DURATION}_count`, ['webhook', 'operation']);
  t.same(counts, expectedDurations, `${DURATION}_count by webhook and operation`);
  t.equal(total(counts), reviewsSent, `${DURATION}_count sums to the reviews sent`);
  const infinite = samples.filter(
    (sample) => sample.name === `${DURATION}_bucket` && sample.labels.le === '+Inf',
  );
  t.equal(
    infinite.reduce((sum, sample) => sum + sample.value, 0),
    reviewsSent,
    'the +Inf buckets hold every review',
  );
  const seconds = total(sumBy(samples, `${DURATION}_sum`, ['webhook']));
  t.ok(seconds > 0, `${DURATION}_sum is positive`);

  const inFlight = sumBy(samples, IN_FLIGHT, ['webhook']);
  t.same(
    inFlight,
    {
      'mutate-inferenceservice': 0,
      'validate-inferenceservice': 0,
      'validate-inferenceservicetemplate': 0,
    },
    `${IN_FLIGHT} is back at 0 for every webhook`,
  );

  // The log comes through a pipe, which the test may not have read to the end yet.
  const rawSent = RAW_BATCHES.reduce((sum, batch) => sum + batch.amount, 0);
  const rejected = (): number =>
    server.lines.filter((line) => line.msg === 'request rejected').length;
  await waitUntil(() => server.decided.size >= reviewsSent && rejected() >= rawSent, 2000);
  t.equal(server.decided.size, reviewsSent, 'the server logged one decision per review');
  t.equal(rejected(), rawSent, 'the server logged one line per rejected request');

  const meanMs = (seconds / reviewsSent) * 1000;
  t.comment(
    [
      `sent ${reviewsSent} reviews and ${rawSent} rejected requests in ${Math.round(elapsedMs)} ms`,
      `${sentToWebhooks} of them to webhook paths`,
      `${REQUESTS_TOTAL} ${total(requests)}, ${DURATION}_count ${total(counts)}`,
      `mean decision time ${meanMs.toFixed(2)} ms`,
    ].join('; '),
  );
});
