// The development certificate that `serve` creates when neither certificate
// file exists, and the error when only one of them does.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startServer } from '../../src/server/serve.js';
import { captureLogger, post, reviewBody, testConfig, testWebhooks } from './helpers.js';

t.test('missing pair is created and served', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'odin-webhook-dev-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const certFile = join(directory, 'certs', 'tls.crt');
  const keyFile = join(directory, 'certs', 'tls.key');
  const log = captureLogger();

  const server = await startServer({
    config: testConfig(certFile, keyFile),
    logger: log.logger,
    webhooks: testWebhooks().webhooks,
  });
  t.teardown(() => server.shutdown());

  const created = log
    .lines()
    .find(
      (line) =>
        line.msg ===
        'created a development CA and serving certificate; clients must trust the CA file',
    );
  t.match(
    created,
    { level: 40, certFile, keyFile, caFile: join(directory, 'certs', 'ca.crt') },
    'logs where the files are',
  );
  const cert = new X509Certificate(await readFile(certFile));
  t.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');

  const ca = await readFile(join(directory, 'certs', 'ca.crt'), 'utf8');
  const response = await post(server.admissionPort, '/allow', { ca, body: reviewBody('uid-dev') });
  t.equal(response.status, 200, 'a client trusting ca.crt is served');
});

t.test('half-present pair is an error', async (t) => {
  const directory = await mkdtemp(join(tmpdir(), 'odin-webhook-dev-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  const certFile = join(directory, 'tls.crt');
  const keyFile = join(directory, 'tls.key');
  await writeFile(certFile, 'not used');
  const { logger } = captureLogger();

  await t.rejects(startServer({ config: testConfig(certFile, keyFile), logger, webhooks: [] }), {
    message: `TLS file ${keyFile} is missing; provide both --tls-cert and --tls-key, or neither for a development certificate`,
  });
});
