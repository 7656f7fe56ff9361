// Shared pieces of the server and plugin tests: recorded admission requests,
// webhooks with fixed behaviour, and a logger whose lines a test can read.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { allowed, patched, type ResponseBody } from '../../src/admission/responses.js';
import type { AdmissionRequest, AdmissionReview } from '../../src/admission/review.js';
import type { Webhook } from '../../src/admission/webhook.js';
import { type Config, readConfig } from '../../src/config.js';
import {
  type CertificateFiles,
  createCertificateFiles,
  pathsIn,
  writeCertificateFiles,
} from '../../src/server/certificates.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** Reads a recorded AdmissionReview from test/server/fixtures. */
export function loadReview(name: string): AdmissionReview {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as AdmissionReview;
}

/** Returns a CREATE review with the given uid and object as a JSON body. */
export function reviewBody(
  uid = 'uid-1',
  object: unknown = { metadata: { name: 'demo' } },
): string {
  const review = loadReview('create-inferenceservice-v1.json');
  return JSON.stringify({ ...review, request: { ...review.request, uid, object } });
}

export const PATCH_OPERATIONS = [
  { op: 'add' as const, path: '/spec/parallelism/dataLocal', value: 4 },
];

/** Webhooks with fixed behaviour; `received` stores the last request each one saw. */
export function testWebhooks(): { webhooks: Webhook[]; received: Map<string, AdmissionRequest> } {
  const received = new Map<string, AdmissionRequest>();
  const webhook = (name: string, review: Webhook['review']): Webhook => ({
    path: `/${name}`,
    name,
    review: async (request) => {
      received.set(name, request);
      return review(request);
    },
  });
  const webhooks = [
    webhook('allow', async () => allowed()),
    webhook('patch', async () => patched(PATCH_OPERATIONS)),
    webhook('warn', async () => allowed(['replicas is 0, so no pod will run'])),
    webhook('broken', async () => undefined as unknown as ResponseBody),
    webhook('throw', async () => {
      // Like a JSON Patch error, it keeps the document in a property.
      throw Object.assign(new TypeError('cannot read spec'), { tree: { env: 'hunter2-secret' } });
    }),
  ];
  return { webhooks, received };
}

/** Creates a pino logger at debug level that keeps its lines for the test to read. */
export function captureLogger(): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const text = (): string => chunks.join('');
  const lines = (): Record<string, unknown>[] =>
    text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, text };
}

/** Creates a CA and a serving pair for localhost and 127.0.0.1, as PEM text. */
export async function makeServingFiles(): Promise<CertificateFiles> {
  return createCertificateFiles({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
}

/** Writes a serving pair into a new temporary directory and returns its paths. */
export async function writeServingFiles(
  files: CertificateFiles,
): Promise<{ directory: string; certFile: string; keyFile: string; caFile: string }> {
  const directory = await mkdtemp(join(tmpdir(), 'odin-webhook-test-'));
  const paths = pathsIn(directory);
  await writeCertificateFiles(paths, files);
  return { directory, certFile: paths.cert, keyFile: paths.key, caFile: paths.caCert };
}

/** Returns the configuration of a test server on free loopback ports. */
export function testConfig(certFile: string, keyFile: string, extra: string[] = []): Config {
  return readConfig(
    [
      '--port',
      '0',
      '--health-port',
      '0',
      '--host',
      '127.0.0.1',
      '--tls-cert',
      certFile,
      '--tls-key',
      keyFile,
      ...extra,
    ],
    {},
  );
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface PostOptions {
  ca: string;
  cert?: string;
  key?: string;
  headers?: Record<string, string | number>;
  /** The body bytes to send, whatever the Content-Length header states. */
  body?: string | Buffer;
}

/** POSTs over a new TLS connection and resolves with the response, even if the server stops reading the body. */
export function post(port: number, path: string, options: PostOptions): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        servername: 'localhost',
        agent: false,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    // The server may respond and close before the whole body is written; the response still counts.
    request.on('error', reject);
    request.end(options.body);
  });
}

/** GETs a URL of the plain HTTP health server. */
export async function getHealth(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}
