// The admission server over real TLS sockets, with a certificate made at test
// time: protocol floor, ALPN, body sizes of real UPDATEs, and the limit.
import { rm } from 'node:fs/promises';
import { type ClientHttp2Session, connect as http2Connect } from 'node:http2';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import t, { type Test } from 'tap';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import {
  captureLogger,
  loadReview,
  makeServingFiles,
  post,
  reviewBody,
  testConfig,
  testWebhooks,
  writeServingFiles,
} from './helpers.js';

interface Handshake {
  socket?: TLSSocket;
  error?: NodeJS.ErrnoException;
}

/** Opens a TLS connection with the given client options and reports how the handshake ended. */
function handshake(port: number, options: ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options });
    socket.once('secureConnect', () => resolve({ socket }));
    socket.once('error', (error) => resolve({ error }));
  });
}

/** Returns an UPDATE review whose object and oldObject each carry about `bytesEach` bytes of env. */
function largeUpdate(uid: string, bytesEach: number): string {
  const review = loadReview('create-inferenceservice-v1.json');
  const env: { name: string; value: string }[] = [];
  for (let size = 0; size < bytesEach;) {
    const variable = { name: `VARIABLE_${env.length}`, value: 'v'.repeat(32) };
    env.push(variable);
    size += JSON.stringify(variable).length + 1;
  }
  const object = {
    ...review.request?.object,
    spec: { template: { spec: { containers: [{ name: 'main', env }] } } },
  };
  return JSON.stringify({
    ...review,
    request: { ...review.request, uid, operation: 'UPDATE', object, oldObject: object },
  });
}

async function start(
  t: Test,
  extra: string[] = [],
): Promise<{ server: RunningServer; ca: string }> {
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile, extra),
    logger,
    webhooks: testWebhooks().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });
  return { server, ca: files.caCert };
}

t.test('TLS 1.1 is refused', async (t) => {
  const { server, ca } = await start(t);
  // Security level 0 lets this client's OpenSSL offer TLS 1.1 at all, so the refusal is the server's.
  const result = await handshake(server.admissionPort, {
    ca,
    minVersion: 'TLSv1.1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  });
  t.equal(result.socket, undefined, 'no connection');
  t.equal(
    result.error?.code,
    'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
    'the server sends a protocol version alert',
  );

  const modern = await handshake(server.admissionPort, { ca, minVersion: 'TLSv1.2' });
  t.ok(modern.socket, 'TLS 1.2 and later connect');
  modern.socket?.destroy();
});

t.test('ALPN selects http/1.1', async (t) => {
  const { server, ca } = await start(t);
  const result = await handshake(server.admissionPort, { ca, ALPNProtocols: ['h2', 'http/1.1'] });
  t.equal(result.socket?.alpnProtocol, 'http/1.1');
  result.socket?.destroy();
});

/** Sends one review over an HTTP/2 session and resolves with the status and body. */
function postHttp2(
  session: ClientHttp2Session,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/allow',
      'content-type': 'application/json',
    });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', reject);
    stream.end(body);
  });
}

t.test('--http2 offers h2 through ALPN', async (t) => {
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile, ['--http2']),
    logger,
    webhooks: testWebhooks().webhooks,
  });
  const port = server.admissionPort;
  const ca = files.caCert;

  const h2 = await handshake(port, { ca, ALPNProtocols: ['h2', 'http/1.1'] });
  t.equal(h2.socket?.alpnProtocol, 'h2');
  h2.socket?.destroy();

  const session = http2Connect(`https://localhost:${port}`, { ca });
  const response = await postHttp2(session, reviewBody('uid-h2'));
  t.equal(response.status, 200, 'HTTP/2 clients are served');
  t.equal(JSON.parse(response.body).response.uid, 'uid-h2');

  const http1 = await post(port, '/allow', { ca, body: reviewBody('uid-h1') });
  t.equal(http1.status, 200, 'HTTP/1.1 clients are still served');
  t.equal(JSON.parse(http1.body).response.uid, 'uid-h1');

  // The open session must not hold shutdown until its idle timeout.
  const started = Date.now();
  await server.shutdown();
  t.ok(Date.now() - started < 2000, 'shutdown closes open HTTP/2 sessions');
  session.destroy();
});

t.test('review over TLS echoes the uid', async (t) => {
  const { server, ca } = await start(t);
  const response = await post(server.admissionPort, '/allow', { ca, body: reviewBody('uid-tls') });
  t.equal(response.status, 200);
  t.same(JSON.parse(response.body), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'uid-tls', allowed: true },
  });
});

t.test('UPDATE of 2.9 MiB is accepted', async (t) => {
  const { server, ca } = await start(t);
  const body = largeUpdate('uid-large', 1.45 * 1024 * 1024);
  t.ok(
    body.length > 2.8 * 1024 * 1024 && body.length < 3 * 1024 * 1024,
    `body is ${body.length} bytes`,
  );

  const response = await post(server.admissionPort, '/allow', { ca, body });
  t.equal(response.status, 200);
  t.equal(JSON.parse(response.body).response.uid, 'uid-large');
});

t.test('body of 8 MiB is refused with 413', async (t) => {
  const { server, ca } = await start(t);
  const response = await post(server.admissionPort, '/allow', {
    ca,
    body: largeUpdate('uid-8', 4 * 1024 * 1024),
  });
  t.equal(response.status, 413);
  t.equal(JSON.parse(response.body).message, 'request body must not be larger than 7340032 bytes');

  const next = await post(server.admissionPort, '/allow', { ca, body: reviewBody('uid-next') });
  t.equal(next.status, 200, 'the server still serves');
});

t.test('declared 64 MiB is refused before the body arrives', async (t) => {
  const { server, ca } = await start(t);
  // Only 1 KiB is ever sent: a 413 here can only come from the Content-Length header.
  const response = await post(server.admissionPort, '/allow', {
    ca,
    headers: { 'content-length': 64 * 1024 * 1024 },
    body: Buffer.alloc(1024, 0x20),
  });
  t.equal(response.status, 413);
  t.equal(response.headers.connection, 'close', 'the connection is closed rather than drained');
});
