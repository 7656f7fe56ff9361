// The example services sent over a real HTTPS connection to a server started
// the way `npm start` starts it, on free ports with a certificate made for
// this run: each gets its documented patch and verdict.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastJsonPatch from 'fast-json-patch';
import { pino } from 'pino';
import t from 'tap';
import type { AdmissionReview, JsonObject } from '../../src/admission/review.js';
import { readConfig } from '../../src/config.js';
import { startServer } from '../../src/server/serve.js';
import { openSources } from '../../src/server/sources.js';
import { createWebhooks } from '../../src/webhooks/index.js';
import { CORPUS_OUTCOMES, sortByPath } from '../helpers/corpus-outcomes.js';
import { admissionReview, decodePatch, readObject } from '../helpers/reviews.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const certificates = await mkdtemp(join(tmpdir(), 'odin-webhook-certs-'));
const config = readConfig(
  [
    '--port=0',
    '--health-port=0',
    '--host=127.0.0.1',
    `--tls-cert=${join(certificates, 'tls.crt')}`,
    `--tls-key=${join(certificates, 'tls.key')}`,
    `--templates-dir=${EXAMPLES}templates`,
    `--services-dir=${EXAMPLES}services`,
  ],
  {},
);
const logger = pino({ level: 'silent' });
const sources = await openSources(config, logger);
const server = await startServer({
  config,
  logger,
  webhooks: createWebhooks({ ...sources, systemNamespace: config.systemNamespace }),
  readinessChecks: sources.readinessChecks,
});
const ca = await readFile(join(certificates, 'ca.crt'));
t.teardown(async () => {
  await server.shutdown();
  await rm(certificates, { recursive: true, force: true });
});

function post(
  path: string,
  review: AdmissionReview,
): Promise<{ status: number; body: AdmissionReview }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port: server.admissionPort,
        path,
        method: 'POST',
        ca,
        servername: 'localhost',
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()) as AdmissionReview,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(review));
  });
}

const MUTATE = '/mutate-odin-moreh-io-v1alpha1-inferenceservice';
const VALIDATE = '/validate-odin-moreh-io-v1alpha1-inferenceservice';

for (const outcome of CORPUS_OUTCOMES) {
  t.test(`${outcome.file} over HTTPS`, async (t) => {
    const object = readObject(`${EXAMPLES}services/${outcome.file}.yaml`);
    const mutation = await post(MUTATE, admissionReview({ object, uid: `uid-${outcome.file}` }));
    t.equal(mutation.status, 200);
    t.equal(mutation.body.response?.uid, `uid-${outcome.file}`);
    t.equal(mutation.body.response?.patchType, 'JSONPatch');
    const operations = decodePatch(mutation.body.response?.patch);
    t.same(sortByPath(operations), sortByPath(outcome.patch));

    const mutated = fastJsonPatch.applyPatch(
      structuredClone(object),
      operations as never,
      true,
      false,
    ).newDocument;
    const verdict = await post(VALIDATE, admissionReview({ object: mutated as JsonObject }));
    t.equal(verdict.status, 200);
    t.equal(verdict.body.response?.allowed, outcome.allowed);
    t.equal(verdict.body.response?.patch, undefined, 'a validating response carries no patch');
    const causes = verdict.body.response?.status?.details?.causes?.map(({ field, reason }) => ({
      field,
      reason,
    }));
    if (outcome.causes) t.same(causes, outcome.causes);
  });
}

t.test('every example review gets an answer with its uid', async (t) => {
  const files = [
    'mutate-llama-tp2',
    'validate-llama-tp2',
    'validate-pipeline-and-data',
    'delete-template-vllm',
  ];
  const paths = [
    MUTATE,
    VALIDATE,
    VALIDATE,
    '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate',
  ];
  const allowed = [true, true, false, false];
  for (const [index, file] of files.entries()) {
    const review = JSON.parse(
      await readFile(`${EXAMPLES}reviews/${file}.json`, 'utf8'),
    ) as AdmissionReview;
    const answer = await post(paths[index], review);
    t.equal(answer.body.response?.uid, review.request?.uid, file);
    t.equal(answer.body.response?.allowed, allowed[index], file);
  }
});
