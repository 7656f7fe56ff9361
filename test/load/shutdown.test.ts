// SIGTERM to the compiled server under load. autocannon sends the mutate
// example review over keep-alive connections, and a few keep-alive clients
// hold a request half sent, so that requests are certainly in flight when
// the signal arrives. After the signal the test samples, in this order, a
// new TCP connection to the admission port and GET /readyz, until the
// process has exited. The half-sent requests are finished once the listener
// refuses connections and /readyz returns 503.
import { rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import t, { type Test } from 'tap';
import type { AdmissionReview } from '../../src/admission/review.js';
import { makeServingFiles, writeServingFiles } from '../server/helpers.js';
import {
  acceptsConnections,
  countBy,
  exampleReview,
  type ExpectedDecision,
  firstOf,
  healthStatus,
  PATHS,
  requireBuild,
  responseProblem,
  reviewWithUid,
  runReviewLoad,
  sleep,
  spawnServer,
  waitUntil,
} from './support.js';

requireBuild();

const GRACE_MS = 5000;
const CONNECTIONS = 4;
const HALF_SENT_REQUESTS = 3;
const SAMPLE_INTERVAL_MS = 20;
const MUTATED: ExpectedDecision = { allowed: true, patch: true };

interface CompleteResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the whole response had arrived. */
  at: number;
}

interface HalfSentRequest {
  uid: string;
  /** Sends the rest of the body. */
  finish(): void;
  response: Promise<CompleteResponse>;
  /** Resolves with performance.now() when the connection closed. */
  closed: Promise<number>;
}

/**
 * Sends the headers and the first half of a review's body over a keep-alive
 * connection, and resolves once they are written.
 */
function sendHalf(
  port: number,
  ca: string,
  review: AdmissionReview,
  uid: string,
): Promise<HalfSentRequest> {
  const body = Buffer.from(reviewWithUid(review, uid));
  const half = Math.floor(body.length / 2);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const request = httpsRequest({
    host: '127.0.0.1',
    port,
    path: PATHS.mutate,
    method: 'POST',
    ca,
    servername: 'localhost',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': body.length },
  });

  const response = new Promise<CompleteResponse>((resolve, reject) => {
    request.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: performance.now(),
        }),
      );
      incoming.on('error', reject);
    });
    request.on('error', reject);
  });
  // The test reads the outcome after the signal, and until then a failure must not end the process.
  response.catch(() => undefined);
  const closed = new Promise<number>((resolve) => {
    request.once('socket', (socket: Socket) =>
      socket.once('close', () => {
        agent.destroy();
        resolve(performance.now());
      }),
    );
  });

  return new Promise((resolve, reject) => {
    request.once('error', reject);
    request.write(body.subarray(0, half), () =>
      resolve({ uid, finish: () => request.end(body.subarray(half)), response, closed }),
    );
  });
}

/**
 * Retries `sendHalf` when the TCP connect itself is reset, before any byte of
 * the request was written. Such a reset was seen once in CI while the load
 * ran and before the signal. It is unrelated to shutdown, which is what this
 * file checks, so it is retried and reported instead of failing the run.
 */
async function sendHalfRetryingConnect(
  t: Test,
  port: number,
  ca: string,
  review: AdmissionReview,
  uid: string,
): Promise<HalfSentRequest> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendHalf(port, ca, review, uid);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const syscall = (error as NodeJS.ErrnoException).syscall;
      if (code !== 'ECONNRESET' || syscall !== 'connect' || attempt >= 3) throw error;
      t.comment(`${uid}: connect reset before the request was written, attempt ${attempt}`);
    }
  }
}

interface Sample {
  at: number;
  accepting: boolean;
  /** HTTP status of /readyz, or 'down' once the health server has closed. */
  readyz: number | 'down';
}

/** Samples the admission listener and /readyz until `isRunning` turns false. */
async function sampleUntilStopped(
  admissionPort: number,
  healthPort: number,
  samples: Sample[],
  isRunning: () => boolean,
): Promise<void> {
  while (isRunning()) {
    const at = performance.now();
    const accepting = await acceptsConnections(admissionPort);
    const readyz = await healthStatus(healthPort, '/readyz').catch(() => 'down' as const);
    samples.push({ at, accepting, readyz });
    await sleep(SAMPLE_INTERVAL_MS);
  }
}

/** Resolves like `promise`, or rejects with `message` after `timeoutMs`. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

void t.test('SIGTERM under load', async (t) => {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const server = await spawnServer(t, {
    certFile: paths.certFile,
    keyFile: paths.keyFile,
    flags: ['--shutdown-grace', String(GRACE_MS)],
  });
  const review = await exampleReview('mutate-llama-tp2');

  const load = runReviewLoad({
    port: server.admissionPort,
    path: PATHS.mutate,
    review,
    expected: MUTATED,
    connections: CONNECTIONS,
    // Stopped once the server has exited; the duration only bounds a failed run.
    durationSeconds: 15,
    deadlineMs: 20_000,
    uidPrefix: 'load',
  });
  t.teardown(() => load.stop());
  await sleep(1000);

  const halfSent = await Promise.all(
    Array.from({ length: HALF_SENT_REQUESTS }, (_, index) =>
      sendHalfRetryingConnect(
        t,
        server.admissionPort,
        serving.caCert,
        review,
        `half-sent-${index}`,
      ),
    ),
  );
  // Time for the server to read the headers, so that each request is in progress.
  await sleep(200);

  const inFlightAtSignal = [...load.sent.keys()].filter((uid) => !load.answered.has(uid));
  const sentBeforeSignal = load.sent.size;
  const signalAt = performance.now();
  server.child.kill('SIGTERM');

  const samples: Sample[] = [];
  let serverRunning = true;
  const sampling = sampleUntilStopped(
    server.admissionPort,
    server.healthPort,
    samples,
    () => serverRunning,
  );
  t.teardown(() => {
    serverRunning = false;
  });
  const drained = await waitUntil(
    () => samples.some((sample) => !sample.accepting && sample.readyz === 503),
    3000,
  );
  t.ok(drained, 'the listener closes and /readyz returns 503 while the process runs');

  for (const request of halfSent) request.finish();
  const responses = await Promise.all(
    halfSent.map((request) =>
      request.response.catch((error: Error): CompleteResponse => ({
        status: 0,
        headers: {},
        body: error.message,
        at: performance.now(),
      })),
    ),
  );
  const exit = await withTimeout(
    server.exited,
    GRACE_MS + 5000,
    `the server did not exit within ${GRACE_MS + 5000} ms of SIGTERM`,
  );
  serverRunning = false;
  load.stop();
  const result = await load.done;
  await sampling;
  const closedAt = await Promise.all(halfSent.map((request) => request.closed));

  t.equal(exit.code, 0, 'exit code 0');
  t.ok(
    exit.at - signalAt < GRACE_MS,
    `exits within the grace period of ${GRACE_MS} ms (took ${Math.round(exit.at - signalAt)} ms)`,
  );
  t.ok(
    server.lines.some((line) => line.msg === 'shutdown finished'),
    'shutdown finished is logged',
  );
  const started = server.lines.findIndex((line) => line.msg === 'shutdown started');
  const finished = server.lines.findIndex((line) => line.msg === 'shutdown finished');
  t.ok(started >= 0 && started < finished, 'shutdown lines in the order they were logged');
  const times = server.lines.map((line) => Number(line.time));
  t.ok(
    times.every((time, index) => index === 0 || time >= times[index - 1]),
    'log lines come out in time order',
  );

  // Readiness before the listener: once a connection is refused, /readyz never returns 200.
  const first503 = samples.findIndex((sample) => sample.readyz === 503);
  const firstRefused = samples.findIndex((sample) => !sample.accepting);
  t.ok(first503 >= 0, '/readyz returned 503 during the shutdown');
  t.equal(
    samples.filter((sample) => !sample.accepting && sample.readyz === 200).length,
    0,
    'no sample finds the listener closed and /readyz at 200',
  );
  t.ok(firstRefused >= first503, 'the first 503 comes no later than the first refused connection');

  halfSent.forEach((request, index) => {
    const response = responses[index];
    t.equal(response.status, 200, `${request.uid}: answered with 200`, { body: response.body });
    t.equal(
      responseProblem(response.body, request.uid, MUTATED),
      undefined,
      `${request.uid}: a valid review for its uid`,
    );
    t.equal(
      response.headers.connection,
      'close',
      `${request.uid}: the response closes the connection`,
    );
    t.ok(
      closedAt[index] - response.at < 1000,
      `${request.uid}: the server closes the connection right after the response`,
    );
  });

  t.equal(load.problems.length, 0, 'every response under load is a valid review for its uid', {
    problems: firstOf(load.problems),
  });
  t.equal(result.timeouts, 0, 'no request timed out');
  const answeredInFlight = inFlightAtSignal.filter((uid) => load.answered.has(uid));
  t.same(
    answeredInFlight,
    inFlightAtSignal,
    'every load request in flight at the signal was answered',
  );
  const errorsBeforeSignal = load.errors.filter((error) => error.at < signalAt);
  t.equal(errorsBeforeSignal.length, 0, 'no connection error before the signal');

  const decidedLoad = [...server.decided].filter((uid) => uid.startsWith('load-'));
  const decidedNotAnswered = decidedLoad.filter((uid) => !load.answered.has(uid));
  t.equal(decidedNotAnswered.length, 0, 'every review the server decided reached its client', {
    uids: firstOf(decidedNotAnswered),
  });
  const answeredNotDecided = [...load.answered].filter((uid) => !server.decided.has(uid));
  t.equal(answeredNotDecided.length, 0, 'every answer was logged as a decision');

  // With pipelining 1 a connection has one request out at a time, and the
  // stop aborts one connection attempt per connection with its request. The
  // other unanswered requests were refused, or written after the signal to a
  // connection that the server was closing, because autocannon ignores the
  // `Connection: close` of the response before. None of them was decided.
  const refused = load.errors.filter((error) => error.code === 'ECONNREFUSED').length;
  const cut = load.sent.size - load.answered.size - refused - CONNECTIONS;

  const lastAccepting = samples.filter((sample) => sample.accepting).at(-1);
  const afterSignal = (at: number | undefined): string =>
    at === undefined ? 'never' : `${Math.round(at - signalAt)} ms`;
  const halfSentAnswered = responses.filter((response) => response.status === 200).length;
  t.comment(
    [
      `load: sent ${load.sent.size} (${sentBeforeSignal} before the signal)`,
      `answered ${load.answered.size}`,
      `in flight at the signal ${inFlightAtSignal.length}, answered ${answeredInFlight.length}`,
      `refused ${refused}`,
      `written to a closing connection and not answered ${cut}`,
      `errors ${JSON.stringify(countBy(load.errors, (error) => error.code))}`,
      `half-sent requests answered ${halfSentAnswered} of ${HALF_SENT_REQUESTS}`,
      `after SIGTERM: first 503 at ${afterSignal(samples[first503]?.at)}, ` +
        `first refused connection at ${afterSignal(samples[firstRefused]?.at)}, ` +
        `last accepted connection at ${afterSignal(lastAccepting?.at)}, ` +
        `exit at ${afterSignal(exit.at)}`,
    ].join('; '),
  );
});

void t.test('SIGTERM while stdout is not read', async (t) => {
  const serving = await makeServingFiles();
  const paths = await writeServingFiles(serving);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const server = await spawnServer(t, {
    certFile: paths.certFile,
    keyFile: paths.keyFile,
    flags: ['--shutdown-grace', String(GRACE_MS)],
  });
  const review = await exampleReview('mutate-llama-tp2');

  // A decision line is about 400 bytes, so 2,000 reviews write several
  // times what a pipe buffers, and the server's log writes block.
  server.pauseLog();
  const load = runReviewLoad({
    port: server.admissionPort,
    path: PATHS.mutate,
    review,
    expected: MUTATED,
    connections: CONNECTIONS,
    amount: 2000,
    deadlineMs: 30_000,
    uidPrefix: 'stuck',
  });
  t.teardown(() => load.stop());
  const result = await load.done;
  t.equal(load.problems.length, 0, 'every review answered while stdout fills');
  t.ok(result.requests.total >= 2000, 'all reviews sent');

  const exit = new Promise<number>((resolve) =>
    server.child.once('exit', () => resolve(performance.now())),
  );
  const signalAt = performance.now();
  server.child.kill('SIGTERM');
  const exitedAt = await Promise.race([exit, sleep(GRACE_MS + 10_000).then(() => Infinity)]);
  server.resumeLog();
  t.ok(
    exitedAt - signalAt < GRACE_MS + 5000,
    `exits while stdout is full (took ${Math.round(exitedAt - signalAt)} ms)`,
  );
});
