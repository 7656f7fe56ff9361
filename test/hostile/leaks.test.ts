// Nothing accumulates across reviews: the heap after thousands of random
// reviews is about what it was after the first thousand, and on a real
// server the in-flight gauge and the open connections return to zero after
// clients that abort mid-request.
import { rm } from 'node:fs/promises';
import { connect } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { startServer } from '../../src/server/serve.js';
import {
  getHealth,
  makeServingFiles,
  post,
  testConfig,
  writeServingFiles,
} from '../server/helpers.js';
import { serviceSpec } from './arbitraries.js';
import {
  admissionRequest,
  BASE_TEMPLATE_SPEC,
  discardingLogger,
  fixture,
  memoryLogger,
  reviewOf,
  serviceObject,
  VALIDATE_PATH,
  WEBHOOK_PATHS,
} from './support.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapAfterCollection(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

void t.test('heap is flat across thousands of reviews', async (t) => {
  // The logger drops its lines, so that only the server's own memory is measured.
  const app = buildApp({
    webhooks: fixture([BASE_TEMPLATE_SPEC, { service: { target: 'leader' } }]).webhooks,
    logger: discardingLogger(),
  });
  t.teardown(() => app.close());
  const bodies = fc.sample(serviceSpec, { numRuns: 500, seed: 7 }).map((spec, index) => ({
    url: WEBHOOK_PATHS[index % 2],
    payload: JSON.stringify(
      reviewOf(admissionRequest({ uid: `u${index}`, object: serviceObject(spec) })),
    ),
  }));
  const round = async (): Promise<void> => {
    for (const body of bodies) {
      await app.inject({
        method: 'POST',
        url: body.url,
        headers: { 'content-type': 'application/json' },
        payload: body.payload,
      });
    }
  };

  // Three rounds warm up the compiled code; after them the heap moved by about
  // 200 KiB either way per round in a trial run.
  for (let index = 0; index < 3; index++) await round();
  const before = heapAfterCollection();
  for (let index = 0; index < 8; index++) await round();
  const growth = heapAfterCollection() - before;

  // A leak of 700 bytes per review would add 2.7 MiB.
  t.ok(growth < 2.5 * 1024 * 1024, `heap grew ${Math.round(growth / 1024)} KiB over 4000 reviews`);
});

void t.test('aborted requests leave nothing in flight', async (t) => {
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile),
    logger: memoryLogger().logger,
    webhooks: fixture().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });
  const body = JSON.stringify(
    reviewOf(admissionRequest({ object: serviceObject({ templateRefs: [{ name: 'base' }] }) })),
  );

  const aborted = Array.from(
    { length: 50 },
    (_, index) =>
      new Promise<void>((resolve) => {
        const socket = connect({
          host: '127.0.0.1',
          port: server.admissionPort,
          servername: 'localhost',
          ca: files.caCert,
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.once('secureConnect', () => {
          // Half the clients stop inside the body, half right after sending it.
          const cut = index % 2 === 0 ? Math.floor(body.length / 2) : body.length;
          socket.write(
            `POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, cut)}`,
          );
          setTimeout(() => socket.destroy(), 20);
        });
      }),
  );
  await Promise.all(aborted);
  for (let index = 0; index < 20; index++) {
    const response = await post(server.admissionPort, VALIDATE_PATH, { ca: files.caCert, body });
    if (response.status !== 200) t.fail(`review ${index} got ${response.status}`);
  }

  const deadline = Date.now() + 5000;
  let inFlight = '';
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const metrics = await getHealth(server.healthPort, '/metrics');
    inFlight = metrics.body
      .split('\n')
      .filter((line) => line.startsWith('odin_webhook_requests_in_flight{'))
      .map((line) => line.split(' ').at(-1))
      .join(',');
  } while (inFlight.split(',').some((value) => value !== '0') && Date.now() < deadline);
  t.ok(inFlight.length > 0, 'the gauge is exported');
  t.ok(
    inFlight.split(',').every((value) => value === '0'),
    `in flight: ${inFlight}`,
  );
});
