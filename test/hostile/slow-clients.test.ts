// Clients that hold connections open on a real HTTPS server on 127.0.0.1.
// Headers or a body sent one byte a second are cut off by the header and
// request timeouts. A chunked body past the limit gets 413. Connections past
// --max-connections are closed at once. The server keeps reviewing ordinary
// requests throughout, and every loop here is bounded in bytes and time.
import { rm } from 'node:fs/promises';
import { connect, type TLSSocket } from 'node:tls';
import t, { type Test } from 'tap';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { makeServingFiles, post, testConfig, writeServingFiles } from '../server/helpers.js';
import {
  admissionRequest,
  fixture,
  memoryLogger,
  reviewOf,
  serviceObject,
  VALIDATE_PATH,
} from './support.js';

interface Started {
  server: RunningServer;
  ca: string;
}

async function start(t: Test, extra: string[] = []): Promise<Started> {
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile, extra),
    logger: memoryLogger().logger,
    webhooks: fixture().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });
  return { server, ca: files.caCert };
}

function open(port: number, ca: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

interface Trickle {
  /** Milliseconds from the first byte until the server closed the connection. */
  closedAfterMs: number;
  bytesSent: number;
  response: string;
}

/**
 * Sends `prefix` at once, then one byte of `drip` a second, until the server
 * closes the connection or `maxMs` pass. Resolves either way.
 */
function trickle(socket: TLSSocket, prefix: string, drip: string, maxMs: number): Promise<Trickle> {
  return new Promise((resolve) => {
    const started = Date.now();
    let sent = 0;
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.write(prefix);
    const timer = setInterval(() => {
      if (Date.now() - started > maxMs || socket.destroyed) return;
      socket.write(drip[sent % drip.length]);
      sent++;
    }, 1000);
    const finish = (): void => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve({ closedAfterMs: Date.now() - started, bytesSent: sent, response });
    };
    const guard = setTimeout(() => {
      socket.destroy();
      finish();
    }, maxMs);
    socket.once('close', finish);
  });
}

const REVIEW = JSON.stringify(reviewOf(admissionRequest({ object: serviceObject({}) })));

async function reviewStillWorks(t: Test, started: Started): Promise<void> {
  const response = await post(started.server.admissionPort, VALIDATE_PATH, {
    ca: started.ca,
    body: REVIEW,
  });
  t.equal(response.status, 200, 'an ordinary review is still answered');
}

void t.test('headers one byte a second are cut off by default', async (t) => {
  const started = await start(t);
  const socket = await open(started.server.admissionPort, started.ca);
  const result = await trickle(
    socket,
    `POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\n`,
    'X-Slow: aaaaaaaaaaaaaaaa',
    20_000,
  );

  // Headers must arrive within 10 s; Node checks the timeouts once a second.
  t.ok(result.closedAfterMs < 13_000, `closed after ${result.closedAfterMs} ms`);
  t.ok(result.closedAfterMs >= 9_000, 'not before the header timeout');
  t.match(result.response, /^HTTP\/1\.1 408 /, 'the server answers 408');
  await reviewStillWorks(t, started);
});

void t.test('body one byte a second is cut off', async (t) => {
  const started = await start(t, ['--request-timeout', '3000']);
  const socket = await open(started.server.admissionPort, started.ca);
  const head = `POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${REVIEW.length}\r\n\r\n`;
  const result = await trickle(socket, head, REVIEW, 15_000);

  t.ok(
    result.closedAfterMs < 6_000,
    `closed after ${result.closedAfterMs} ms and ${result.bytesSent} bytes`,
  );
  t.ok(result.bytesSent < REVIEW.length, 'the body was never complete');
  t.match(result.response, /^HTTP\/1\.1 408 /, 'the server answers 408');
  await reviewStillWorks(t, started);
});

void t.test('chunked body past the limit gets 413', async (t) => {
  const started = await start(t, ['--body-limit', '65536']);
  const socket = await open(started.server.admissionPort, started.ca);
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
  );
  const chunk = ' '.repeat(4096);
  // 64 chunks are four times the limit; the loop stops once the server responds.
  for (let index = 0; index < 64 && response === '' && !socket.destroyed; index++) {
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
  socket.destroy();

  t.match(response, /^HTTP\/1\.1 413 /, 'the server answers 413');
  t.match(response, /request body must not be larger than 65536 bytes/);
  await reviewStillWorks(t, started);
});

void t.test('connections past --max-connections are closed', async (t) => {
  const limit = 5;
  const started = await start(t, ['--max-connections', String(limit)]);
  const port = started.server.admissionPort;
  const heldSockets = await Promise.all(
    Array.from({ length: limit }, () => open(port, started.ca)),
  );
  t.teardown(() => heldSockets.forEach((socket) => socket.destroy()));

  const closedEarly = await open(port, started.ca).then(
    (socket) => {
      socket.destroy();
      return false;
    },
    () => true,
  );
  t.ok(closedEarly, `connection ${limit + 1} is closed before the handshake`);

  heldSockets.pop()?.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const again = await open(port, started.ca);
  t.ok(again.authorized, 'a slot frees when a connection closes');
  again.destroy();
});

void t.test('idle held connections leave reviews served', async (t) => {
  const started = await start(t, ['--max-connections', '50']);
  const port = started.server.admissionPort;
  const heldSockets = await Promise.all(Array.from({ length: 40 }, () => open(port, started.ca)));
  t.teardown(() => heldSockets.forEach((socket) => socket.destroy()));
  for (const socket of heldSockets)
    socket.write(`POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\n`);
  await reviewStillWorks(t, started);
});
