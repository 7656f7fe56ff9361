// Sends the objects of a YAML file to a running webhook as AdmissionReviews
// and prints what came back: the decoded JSON Patch, the verdict, the status
// and the warnings. An InferenceService goes through the mutating webhook
// first and its patched form through the validating one, as in a cluster.
//
// Usage: npm run review -- FILE.yaml [--operation CREATE|UPDATE|DELETE]
//          [--url https://127.0.0.1:8443] [--ca certs/ca.crt]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
import fastJsonPatch from 'fast-json-patch';
import type { AdmissionReview, JsonObject, Operation } from '../src/admission/review.js';
import { parseYamlDocuments } from '../src/templates/file-source.js';

const PATHS = {
  mutate: '/mutate-odin-moreh-io-v1alpha1-inferenceservice',
  validate: '/validate-odin-moreh-io-v1alpha1-inferenceservice',
  template: '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate',
};

interface Target {
  url: URL;
  ca: Buffer;
}

function reviewOf(object: JsonObject, operation: Operation): AdmissionReview {
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
  const kind = String(object.kind);
  const version = { group: 'odin.moreh.io', version: 'v1alpha1' };
  const resource = { ...version, resource: `${kind.toLowerCase()}s` };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: { ...version, kind },
      resource,
      requestKind: { ...version, kind },
      requestResource: resource,
      name: metadata.name,
      namespace: metadata.namespace,
      operation,
      userInfo: { username: 'odin-webhook-review' },
      object: operation === 'DELETE' ? null : object,
      oldObject: operation === 'CREATE' ? null : object,
      dryRun: false,
    },
  };
}

function post(target: Target, path: string, review: AdmissionReview): Promise<AdmissionReview> {
  const body = JSON.stringify(review);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      new URL(path, target.url),
      { method: 'POST', ca: target.ca, headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200)
            reject(new Error(`HTTP ${response.statusCode}: ${text}`));
          else resolve(JSON.parse(text) as AdmissionReview);
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function printResponse(label: string, review: AdmissionReview): unknown[] {
  const response = review.response;
  const patch = response?.patch
    ? (JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as unknown[])
    : [];
  console.log(`${label}: allowed=${String(response?.allowed)}`);
  if (patch.length > 0)
    console.log(`  patch:\n${JSON.stringify(patch, null, 2).replace(/^/gm, '    ')}`);
  if (response?.status)
    console.log(`  status:\n${JSON.stringify(response.status, null, 2).replace(/^/gm, '    ')}`);
  for (const warning of response?.warnings ?? []) console.log(`  warning: ${warning}`);
  return patch;
}

async function reviewObject(
  target: Target,
  object: JsonObject,
  operation: Operation,
): Promise<boolean> {
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
  console.log(
    `${String(object.kind)} ${metadata.namespace ?? ''}/${metadata.name ?? ''} (${operation})`,
  );
  if (object.kind === 'InferenceServiceTemplate') {
    const verdict = await post(target, PATHS.template, reviewOf(object, operation));
    printResponse('validate', verdict);
    return verdict.response?.allowed === true;
  }
  if (operation === 'DELETE') {
    console.log('  InferenceService deletions are not reviewed');
    return true;
  }
  const mutation = await post(target, PATHS.mutate, reviewOf(object, operation));
  const patch = printResponse('mutate', mutation);
  const mutated = fastJsonPatch.applyPatch(
    structuredClone(object),
    patch as never,
    true,
    false,
  ).newDocument;
  const verdict = await post(target, PATHS.validate, reviewOf(mutated, operation));
  printResponse('validate', verdict);
  return verdict.response?.allowed === true;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      operation: { type: 'string', default: 'CREATE' },
      url: { type: 'string', default: 'https://127.0.0.1:8443' },
      ca: { type: 'string', default: 'certs/ca.crt' },
    },
  });
  const operation = values.operation.toUpperCase() as Operation;
  if (positionals.length === 0 || !['CREATE', 'UPDATE', 'DELETE'].includes(operation)) {
    console.error(
      'usage: npm run review -- FILE.yaml... [--operation CREATE|UPDATE|DELETE] [--url URL] [--ca FILE]',
    );
    return 2;
  }
  const target = { url: new URL(values.url), ca: readFileSync(values.ca) };
  let allAllowed = true;
  for (const file of positionals) {
    for (const document of parseYamlDocuments(readFileSync(file, 'utf8'), file)) {
      allAllowed = (await reviewObject(target, document as JsonObject, operation)) && allAllowed;
    }
  }
  return allAllowed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`review failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
