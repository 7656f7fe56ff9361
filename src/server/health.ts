// The plain HTTP server for probes and metrics, on its own port so that
// kubelet and Prometheus need no TLS client setup and never queue behind
// admission reviews:
// - /healthz: 200 while the process runs (liveness);
// - /readyz: 200 when every readiness check passes, else 503 (readiness);
// - /metrics: Prometheus text format.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from './readiness.js';

export interface HealthAppOptions {
  readiness: Readiness;
  registry: Registry;
  logger: FastifyBaseLogger;
}

/** Builds the health app; probes every few seconds would flood a per-request log. */
export function buildHealthApp(options: HealthAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
  });

  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send('ok'));

  app.get('/readyz', async (_request, reply) => {
    const report = options.readiness.report();
    return reply.code(report.ready ? 200 : 503).send(report);
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });

  return app as unknown as FastifyInstance;
}
