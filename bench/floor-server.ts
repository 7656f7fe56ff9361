// The floor of the benchmark: a fastify HTTPS server that parses the JSON
// body and returns a fixed allowed AdmissionReview with the request's uid.
// It pays for TLS, HTTP, body parsing and serialization and does no admission
// work, so the webhook's throughput over this server's is the share left
// after the webhook's own work. /readyz is served over plain HTTP, as the
// webhook serves it.
//
// Usage: tsx bench/floor-server.ts --port P --health-port H --tls-cert F --tls-key F
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/** The webhook's body limit: an UPDATE carries two objects of up to 3 MiB each. */
const BODY_LIMIT = 7 * 1024 * 1024;
/** The webhook's keep-alive timeout, above the apiserver's 90 s of idle reuse. */
const KEEP_ALIVE_TIMEOUT_MS = 95_000;

interface FloorOptions {
  port: number;
  healthPort: number;
  tlsCert: string;
  tlsKey: string;
}

function readOptions(argv: string[]): FloorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'health-port': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
  });
  const { port, 'health-port': healthPort, 'tls-cert': tlsCert, 'tls-key': tlsKey } = values;
  if (!port || !healthPort || !tlsCert || !tlsKey) {
    throw new Error('usage: floor-server --port P --health-port H --tls-cert FILE --tls-key FILE');
  }
  return { port: Number(port), healthPort: Number(healthPort), tlsCert, tlsKey };
}

function uidOf(body: unknown): string {
  const request = (body as { request?: { uid?: unknown } } | null)?.request;
  return typeof request?.uid === 'string' ? request.uid : '';
}

function buildFloor(options: FloorOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    https: { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) },
  }) as unknown as FastifyInstance;

  // JSON.parse, as the webhook uses, instead of fastify's prototype-checking parser.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    async (_request: FastifyRequest, body: string) => JSON.parse(body) as unknown,
  );
  app.post('/*', async (request) => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: uidOf(request.body), allowed: true },
  }));
  return app;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const app = buildFloor(options);
  await app.listen({ port: options.port, host: '127.0.0.1' });

  const health = createHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
  health.listen(options.healthPort, '127.0.0.1');

  process.once('SIGTERM', () => {
    health.close();
    void app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`floor-server: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
