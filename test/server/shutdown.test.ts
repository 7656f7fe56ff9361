// SIGTERM on a server process: readiness drops, the listener closes, the
// review in flight still gets its response, and the process exits 0. A review
// that outlasts the grace period makes it exit 1.
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import t, { type Test } from 'tap';
import { getHealth, makeServingFiles, post, reviewBody, writeServingFiles } from './helpers.js';

const FIXTURE = new URL('./fixtures/slow-server.ts', import.meta.url).pathname;

interface ServerProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first log line that has this message. */
  waitForLine(message: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function spawnServer(args: string[], delayMs: number): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    env: { ...process.env, REVIEW_DELAY_MS: String(delayMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { message: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.message === line.msg))
      waiter.resolve(line);
  });
  const waitForLine = (message: string): Promise<Record<string, unknown>> => {
    const seen = lines.find((line) => line.msg === message);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ message, resolve }));
  };
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, lines, waitForLine, exited };
}

async function setup(
  t: Test,
  graceMs: number,
  delayMs: number,
): Promise<ServerProcess & { ca: string; ports: { admission: number; health: number } }> {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const server = spawnServer(
    [
      '--port',
      '0',
      '--health-port',
      '0',
      '--host',
      '127.0.0.1',
      '--tls-cert',
      paths.certFile,
      '--tls-key',
      paths.keyFile,
      '--shutdown-grace',
      String(graceMs),
    ],
    delayMs,
  );
  t.teardown(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  const started = await server.waitForLine('server started');
  const ports = {
    admission: started.admissionPort as number,
    health: started.healthPort as number,
  };
  return { ...server, ca: serving.caCert, ports };
}

t.test('SIGTERM drains the review in flight', async (t) => {
  const server = await setup(t, 10_000, 1500);

  const inFlight = post(server.ports.admission, '/slow', {
    ca: server.ca,
    body: reviewBody('uid-drain'),
  });
  await server.waitForLine('review started');
  server.child.kill('SIGTERM');
  await server.waitForLine('shutdown started');

  const readiness = await getHealth(server.ports.health, '/readyz');
  t.equal(readiness.status, 503, 'not ready while draining');
  await t.rejects(
    post(server.ports.admission, '/slow', { ca: server.ca, body: reviewBody('uid-late') }),
    { code: 'ECONNREFUSED' },
    'new connections are refused',
  );

  const response = await inFlight;
  t.equal(response.status, 200, 'the review in flight is answered');
  t.same(JSON.parse(response.body).response, { uid: 'uid-drain', allowed: true });
  t.equal(await server.exited, 0, 'exit code 0');
  t.ok(
    server.lines.some((line) => line.msg === 'shutdown finished'),
    'shutdown is logged',
  );
});

t.test('grace period bounds the drain', async (t) => {
  const server = await setup(t, 300, 5000);

  const inFlight = post(server.ports.admission, '/slow', {
    ca: server.ca,
    body: reviewBody('uid-slow'),
  }).catch((error: NodeJS.ErrnoException) => error.code);
  await server.waitForLine('review started');
  server.child.kill('SIGTERM');

  t.equal(await server.exited, 1, 'exit code 1');
  const expired = 'shutdown grace period ran out; exiting with reviews in flight';
  t.ok(
    server.lines.some((line) => line.msg === expired),
    'the expiry is logged',
  );
  t.equal(await inFlight, 'ECONNRESET', 'the unfinished review loses its connection');
});
