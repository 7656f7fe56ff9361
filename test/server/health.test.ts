// The health server: liveness, readiness from its checks and from shutdown,
// and the Prometheus metrics of reviews.
import { rm } from 'node:fs/promises';
import t from 'tap';
import { startServer } from '../../src/server/serve.js';
import {
  captureLogger,
  getHealth,
  makeServingFiles,
  post,
  reviewBody,
  testConfig,
  testWebhooks,
  writeServingFiles,
} from './helpers.js';

t.test('probes and metrics', async (t) => {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  let templatesSynced = false;
  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile),
    logger,
    webhooks: testWebhooks().webhooks,
    readinessChecks: [{ name: 'templates', isReady: () => templatesSynced }],
  });
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const port = server.healthPort;

  t.same(await getHealth(port, '/healthz'), { status: 200, body: 'ok' }, 'alive');

  const unsynced = await getHealth(port, '/readyz');
  t.equal(unsynced.status, 503, 'not ready before the templates have synced');
  t.same(JSON.parse(unsynced.body), {
    ready: false,
    shuttingDown: false,
    checks: { certificate: true, templates: false },
  });

  templatesSynced = true;
  const ready = await getHealth(port, '/readyz');
  t.equal(ready.status, 200, 'ready once every check passes');

  for (const path of ['/allow', '/throw', '/allow']) {
    await post(server.admissionPort, path, { ca: serving.caCert, body: reviewBody() });
  }
  await post(server.admissionPort, '/allow', { ca: serving.caCert, body: '{' });
  const metrics = await getHealth(port, '/metrics');
  t.equal(metrics.status, 200);
  t.match(
    metrics.body,
    'odin_webhook_requests_total{webhook="allow",operation="CREATE",result="allowed"} 2',
  );
  t.match(
    metrics.body,
    'odin_webhook_requests_total{webhook="throw",operation="CREATE",result="error"} 1',
  );
  t.match(
    metrics.body,
    'odin_webhook_requests_total{webhook="allow",operation="unknown",result="error"} 1',
  );
  t.match(
    metrics.body,
    'odin_webhook_request_duration_seconds_count{webhook="allow",operation="CREATE"} 2',
  );
  t.match(metrics.body, 'odin_webhook_requests_in_flight{webhook="allow"} 0');
  t.match(metrics.body, 'process_cpu_user_seconds_total', 'default process metrics');

  server.readiness.markShuttingDown();
  const stopping = await getHealth(port, '/readyz');
  t.equal(stopping.status, 503, 'not ready once shutting down');
  t.equal(JSON.parse(stopping.body).shuttingDown, true);
  await server.shutdown();
});
