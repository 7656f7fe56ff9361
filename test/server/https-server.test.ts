// Connection limits of the admission server, and a client that sends its
// headers too slowly being cut off.
import { rm } from 'node:fs/promises';
import type { Server as HttpsServer } from 'node:https';
import { connect } from 'node:tls';
import t from 'tap';
import { createAdmissionServer } from '../../src/server/https-server.js';
import { startServer } from '../../src/server/serve.js';
import {
  captureLogger,
  makeServingFiles,
  testConfig,
  testWebhooks,
  writeServingFiles,
} from './helpers.js';

t.test('HTTP/1.1 server limits', async (t) => {
  const files = await makeServingFiles();
  const server = createAdmissionServer(
    {
      tls: { cert: files.cert, key: files.key },
      requireClientCertificate: false,
      http2: false,
      requestTimeout: 30_000,
      keepAliveTimeout: 95_000,
      maxConnections: 1000,
    },
    () => undefined,
  ) as HttpsServer;
  t.equal(server.keepAliveTimeout, 95_000, 'keep-alive above the apiserver idle timeout of 90 s');
  t.equal(server.headersTimeout, 10_000, 'headers within 10 s');
  t.equal(server.requestTimeout, 30_000, 'whole request within the request timeout');
  t.equal(server.maxRequestsPerSocket, 0, 'no limit of requests per connection');
  t.equal(server.maxConnections, 1000);
});

t.test('slow headers are cut off', async (t) => {
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile, ['--request-timeout', '1000']),
    logger,
    webhooks: testWebhooks().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });

  const socket = connect({
    host: '127.0.0.1',
    port: server.admissionPort,
    servername: 'localhost',
    ca: files.caCert,
  });
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  const started = Date.now();
  socket.write('POST /allow HTTP/1.1\r\nHost: localhost\r\n');
  // A slowloris client keeps adding header lines and never ends them.
  const drip = setInterval(() => socket.write('X-Padding: 1\r\n'), 200);
  t.teardown(() => clearInterval(drip));

  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await new Promise((resolve) => socket.once('close', resolve));
  const elapsed = Date.now() - started;

  t.match(Buffer.concat(received).toString('utf8'), /^HTTP\/1\.1 408/, 'the response is 408');
  // The timeout is 1 s and Node checks it every second, so the cut comes within about 2 s.
  t.ok(elapsed < 3000, `closed after ${elapsed} ms`);
});
