// Shared pieces of the cluster tests: a logger whose lines the test can
// read, a poll for asynchronous conditions, and object builders.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
}

export function captureLogger(): CapturedLogger {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** Polls `condition` every 10 ms; rejects with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Reference {
  name: string;
  group?: string;
  kind?: string;
}

export function service(
  namespace: string,
  name: string,
  refs: Array<string | Reference>,
): Record<string, unknown> {
  const templateRefs = refs.map((ref) => (typeof ref === 'string' ? { name: ref } : ref));
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { namespace, name },
    spec: {
      templateRefs,
      template: { spec: { containers: [{ name: 'main', image: 'vllm:latest' }] } },
    },
  };
}

export function template(namespace: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { namespace, name },
    spec: { framework: 'vllm' },
  };
}
