// Shared pieces of the load tests. The compiled server runs as a child
// process, and certificate directories are rotated the way the kubelet
// updates a mounted Secret. autocannon runs give every review its own uid and
// check every response, and small clients send probes.
//
// Every server listens on 127.0.0.1 on ports it picks itself, and every load
// run ends by itself: after its duration or amount, or at its deadline.
import { type ChildProcess, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Test } from 'tap';
import type { AdmissionReview } from '../../src/admission/review.js';
import type { CertificateFiles } from '../../src/server/certificates.js';

export const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPOSITORY, 'dist/src/cli.js');

/** The paths that the server serves its three webhooks on. */
export const PATHS = {
  mutate: '/mutate-odin-moreh-io-v1alpha1-inferenceservice',
  validate: '/validate-odin-moreh-io-v1alpha1-inferenceservice',
  validateTemplate: '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate',
} as const;

const DECISION_MESSAGE = '"msg":"admission review decided"';
const UID_FIELD = /"uid":"([^"]*)"/;

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process had exited and its output ended. */
  at: number;
}

export interface ServerProcess {
  child: ChildProcess;
  admissionPort: number;
  healthPort: number;
  /** The log lines other than the per-review decision lines, parsed. */
  lines: LogLine[];
  /** The uid of every review that the server logged a decision for. */
  decided: Set<string>;
  /** Stops reading stdout, so that the pipe fills once the server writes enough. */
  pauseLog(): void;
  /** Reads stdout again. */
  resumeLog(): void;
  /** Resolves with the first log line (seen or future) with this message that matches `where`. */
  waitForLine(
    message: string,
    where?: (line: LogLine) => boolean,
    timeoutMs?: number,
  ): Promise<LogLine>;
  exited: Promise<ServerExit>;
}

/** Throws a clear error when the compiled server is missing. */
export function requireBuild(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} not found: the load tests run the compiled server, so run \`npm run build\` first`,
    );
  }
}

interface Waiter {
  message: string;
  where: (line: LogLine) => boolean;
  resolve: (line: LogLine) => void;
}

/**
 * Reads the server's log from stdout. Decision lines, one per review, only
 * have their uid taken out, because parsing thousands of them a second would
 * take CPU from the load generator.
 */
function readLog(child: ChildProcess): Pick<
  ServerProcess,
  'lines' | 'decided' | 'pauseLog' | 'resumeLog'
> & {
  addWaiter(waiter: Waiter): void;
} {
  const lines: LogLine[] = [];
  const decided = new Set<string>();
  const waiters = new Set<Waiter>();

  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (text) => {
    if (text.includes(DECISION_MESSAGE)) {
      const uid = UID_FIELD.exec(text)?.[1];
      if (uid !== undefined) decided.add(uid);
      return;
    }
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, notJson: true };
    }
    lines.push(line);
    for (const waiter of waiters) {
      if (waiter.message === line.msg && waiter.where(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  return {
    lines,
    decided,
    addWaiter: (waiter) => waiters.add(waiter),
    pauseLog: () => reader.pause(),
    resumeLog: () => reader.resume(),
  };
}

export interface StartOptions {
  certFile: string;
  keyFile: string;
  /** More flags of `serve`, such as `--shutdown-grace`. */
  flags?: string[];
}

/**
 * Starts `odin-webhook serve` from dist/ with the example templates and
 * services on free loopback ports, and waits until it has logged "server
 * started". The process is killed at teardown if it still runs.
 */
export async function spawnServer(t: Test, options: StartOptions): Promise<ServerProcess> {
  requireBuild();
  const args = [
    CLI,
    'serve',
    '--templates-dir',
    'examples/templates',
    '--services-dir',
    'examples/services',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--health-port',
    '0',
    '--tls-cert',
    options.certFile,
    '--tls-key',
    options.keyFile,
    ...(options.flags ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after 'exit' once stdout has ended, so every log line has been read by then.
  const exited = new Promise<ServerExit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const log = readLog(child);

  const waitForLine = (
    message: string,
    where: (line: LogLine) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<LogLine> => {
    const seen = log.lines.find((line) => line.msg === message && where(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`timed out after ${timeoutMs} ms waiting for the log line "${message}"`),
          ),
        timeoutMs,
      );
      log.addWaiter({
        message,
        where,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then((exit) => {
        clearTimeout(timer);
        reject(
          new Error(
            `the server exited (code ${exit.code}, signal ${exit.signal}) ` +
              `before logging "${message}"; stderr:\n${stderr}`,
          ),
        );
      });
    });
  };

  // Starting includes loading the templates and compiling the schemas, which
  // takes seconds on a busy machine.
  const started = await waitForLine('server started', undefined, 60_000);
  return {
    child,
    admissionPort: started.admissionPort as number,
    healthPort: started.healthPort as number,
    lines: log.lines,
    decided: log.decided,
    pauseLog: log.pauseLog,
    resumeLog: log.resumeLog,
    waitForLine,
    exited,
  };
}

/** Creates a temporary directory that is removed at teardown. */
export async function temporaryDirectory(t: Test, prefix: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

export interface CertificateVolume {
  certFile: string;
  keyFile: string;
  /** Replaces the whole pair in one atomic step. */
  swap(next: CertificateFiles): Promise<void>;
}

/**
 * Lays out `directory` the way the kubelet mounts a Secret: each version in
 * its own `..generation_N` folder, `..data` a symlink to the current one, and
 * `tls.crt` and `tls.key` symlinks through `..data`. `swap` makes the
 * kubelet's atomic update: a new symlink renamed over `..data`.
 */
export async function kubeletVolume(
  directory: string,
  files: CertificateFiles,
): Promise<CertificateVolume> {
  let generation = 0;
  const writeGeneration = async (pair: CertificateFiles): Promise<string> => {
    const name = `..generation_${generation++}`;
    await mkdir(join(directory, name));
    await writeFile(join(directory, name, 'tls.crt'), pair.cert);
    await writeFile(join(directory, name, 'tls.key'), pair.key);
    return name;
  };
  await symlink(await writeGeneration(files), join(directory, '..data'));
  await symlink('..data/tls.crt', join(directory, 'tls.crt'));
  await symlink('..data/tls.key', join(directory, 'tls.key'));

  return {
    certFile: join(directory, 'tls.crt'),
    keyFile: join(directory, 'tls.key'),
    swap: async (next) => {
      const name = await writeGeneration(next);
      await symlink(name, join(directory, '..data_tmp'));
      await rename(join(directory, '..data_tmp'), join(directory, '..data'));
    },
  };
}

/** Writes `content` to a temporary file beside `path` and renames it over `path`. */
export async function replaceFile(path: string, content: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * Opens a new TLS connection that verifies against `ca`, and returns the
 * SHA-256 fingerprint of the certificate it was served.
 */
export function servedFingerprint(port: number, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

/** Reads a review from examples/reviews. */
export async function exampleReview(name: string): Promise<AdmissionReview> {
  const text = await readFile(join(REPOSITORY, 'examples/reviews', `${name}.json`), 'utf8');
  return JSON.parse(text) as AdmissionReview;
}

/** Returns `review` as a JSON body with its request uid replaced. */
export function reviewWithUid(review: AdmissionReview, uid: string): string {
  return JSON.stringify({ ...review, request: { ...review.request, uid } });
}

/** The decision a response must carry. */
export interface ExpectedDecision {
  allowed: boolean;
  /** `status.code` of a denial. */
  code?: number;
  /** True when an allowed response must carry a JSON Patch. */
  patch?: boolean;
}

function describeDecision(
  response: Record<string, unknown>,
  expected: ExpectedDecision,
): string | undefined {
  if (response.allowed !== expected.allowed) {
    return `response.allowed is ${JSON.stringify(response.allowed)}, expected ${expected.allowed}`;
  }
  const status = response.status as { code?: unknown } | undefined;
  if (expected.code !== undefined && status?.code !== expected.code) {
    return `response.status.code is ${JSON.stringify(status?.code)}, expected ${expected.code}`;
  }
  if (expected.patch === true) {
    if (response.patchType !== 'JSONPatch') return 'response.patchType is not JSONPatch';
    let operations: unknown;
    try {
      operations = JSON.parse(Buffer.from(String(response.patch), 'base64').toString('utf8'));
    } catch {
      return 'response.patch is not base64 JSON';
    }
    if (!Array.isArray(operations) || operations.length === 0) {
      return 'response.patch is not a non-empty JSON Patch array';
    }
  }
  return undefined;
}

/**
 * Returns what is wrong with a response body, or undefined when it is an
 * admission.k8s.io/v1 AdmissionReview for `uid` with the expected decision.
 */
export function responseProblem(
  body: string,
  uid: string,
  expected: ExpectedDecision,
): string | undefined {
  let review: { apiVersion?: unknown; kind?: unknown; response?: unknown };
  try {
    review = JSON.parse(body) as typeof review;
  } catch {
    return `body is not JSON: ${body.slice(0, 200)}`;
  }
  if (review.apiVersion !== 'admission.k8s.io/v1')
    return `apiVersion is ${String(review.apiVersion)}`;
  if (review.kind !== 'AdmissionReview') return `kind is ${String(review.kind)}`;
  if (typeof review.response !== 'object' || review.response === null) return 'response is missing';
  const response = review.response as Record<string, unknown>;
  if (response.uid !== uid) return `response.uid is ${String(response.uid)}, expected ${uid}`;
  return describeDecision(response, expected);
}

export interface ReviewLoadOptions {
  port: number;
  path: string;
  review: AdmissionReview;
  expected: ExpectedDecision;
  connections: number;
  /** Seconds to send for, ignored when `amount` is set. */
  durationSeconds?: number;
  /** Total number of requests over all connections. */
  amount?: number;
  /** Reconnects each connection after this many requests, so that handshakes go on throughout. */
  reconnectRate?: number;
  /**
   * CAs that the served certificates must chain to. When set, each verified
   * handshake is counted by the fingerprint of its certificate.
   */
  ca?: string[];
  /** Prefix of the generated uids, so that concurrent runs stay apart. */
  uidPrefix: string;
  /** Milliseconds after which the run is stopped if it has not ended by itself. */
  deadlineMs: number;
}

export interface ReviewLoad {
  /**
   * Each uid whose request was built, with performance.now() then. autocannon
   * writes a request right after building it, or once its connection opens.
   */
  sent: Map<string, number>;
  /** The uid of each response that was checked and had no problem. */
  answered: Set<string>;
  /** Responses checked: every response autocannon counted. */
  checked: number;
  /** Each problem with a response, such as a wrong uid or a non-2xx status. */
  problems: string[];
  /** Verified TLS handshakes by the fingerprint of the served certificate. */
  handshakes: Map<string, number>;
  /** Connection errors and timeouts, each with its code and performance.now() when it happened. */
  errors: { code: string; at: number }[];
  /** Resolves with autocannon's result once the run has ended. */
  done: Promise<autocannon.Result>;
  /** Ends the run early, and `done` still resolves with the result. */
  stop(): void;
}

/**
 * Sends reviews with autocannon over keep-alive HTTPS connections. Every
 * request gets a new uid in `setupRequest`, and `onResponse` checks that the
 * response carries that uid and the expected decision. With pipelining 1, a
 * connection has one request out at a time, so the response on a connection
 * belongs to its latest request.
 */
export function runReviewLoad(options: ReviewLoadOptions): ReviewLoad {
  const load: Omit<ReviewLoad, 'done' | 'stop'> = {
    sent: new Map(),
    answered: new Set(),
    checked: 0,
    problems: [],
    handshakes: new Map(),
    errors: [],
  };
  let sequence = 0;

  // autocannon 9 connects with rejectUnauthorized false, but Node still
  // verifies the chain against `ca` and calls checkServerIdentity only when
  // that succeeded (checked on Node 20), so each call is one verified handshake.
  const tlsOptions =
    options.ca === undefined
      ? undefined
      : {
          ca: options.ca,
          checkServerIdentity: (_host: string, certificate: PeerCertificate): undefined => {
            const fingerprint = certificate.fingerprint256;
            load.handshakes.set(fingerprint, (load.handshakes.get(fingerprint) ?? 0) + 1);
            return undefined;
          },
        };

  const request: autocannon.Request = {
    method: 'POST',
    path: options.path,
    headers: { 'content-type': 'application/json' },
    setupRequest: (base, context) => {
      const uid = `${options.uidPrefix}-${sequence++}`;
      (context as { uid?: string }).uid = uid;
      load.sent.set(uid, performance.now());
      return { ...base, body: reviewWithUid(options.review, uid) };
    },
    onResponse: (status, body, context) => {
      load.checked++;
      const uid = (context as { uid?: string }).uid ?? '(none)';
      if (status !== 200) {
        load.problems.push(`${uid}: HTTP ${status}: ${body.slice(0, 200)}`);
        return;
      }
      const problem = responseProblem(body, uid, options.expected);
      if (problem === undefined) load.answered.add(uid);
      else load.problems.push(`${uid}: ${problem}`);
    },
  };

  let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error === null ? resolve(result) : reject(error));
  });
  const deadline = setTimeout(() => instance.stop(), options.deadlineMs);
  const instance = autocannon(
    {
      url: `https://127.0.0.1:${options.port}`,
      connections: options.connections,
      pipelining: 1,
      duration: options.durationSeconds ?? 10,
      amount: options.amount,
      reconnectRate: options.reconnectRate,
      requests: [request],
      tlsOptions,
      // A review takes milliseconds, so a response this late means a hang.
      timeout: 5,
      // autocannon applies stop() at its next sample, so samples are frequent.
      sampleInt: 100,
    } as autocannon.Options,
    (error, result) => {
      clearTimeout(deadline);
      finish(error as Error | null, result);
    },
  );
  instance.on('reqError', (error: NodeJS.ErrnoException) => {
    load.errors.push({ code: error.code ?? error.message, at: performance.now() });
  });

  return Object.assign(load, { done, stop: () => instance.stop() });
}

export interface ProbeResult {
  /** performance.now() when the request started. */
  startedAt: number;
  fingerprint?: string;
  problem?: string;
}

/** POSTs one review over a new TLS connection that verifies against `ca`. */
export function probeReview(
  port: number,
  path: string,
  ca: string[],
  body: string,
): Promise<{ status: number; body: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        servername: 'localhost',
        agent: false,
        timeout: 5000,
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        const fingerprint = (response.socket as TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            fingerprint,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('probe timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/** Returns the status of a GET on the plain HTTP health server, over a connection of its own. */
export function healthStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, agent: false, timeout: 2000 },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out`)));
    request.on('error', reject);
    request.end();
  });
}

/** GETs the text of the plain HTTP health server's `/metrics`. */
export function scrapeMetrics(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path: '/metrics', agent: false, timeout: 5000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    request.on('timeout', () => request.destroy(new Error('GET /metrics timed out')));
    request.on('error', reject);
    request.end();
  });
}

/** Resolves true when a TCP connection to the port is accepted, false when it is refused. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(false);
      else reject(error);
    });
  });
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Polls `condition` every 10 ms. Resolves with true once it is true, else
 * with its value after `timeoutMs`.
 */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (condition()) return true;
    await sleep(10);
  }
  return condition();
}

/** Counts the items by key. */
export function countBy<T>(items: Iterable<T>, key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** Returns the first `count` items, for messages. */
export function firstOf<T>(items: Iterable<T>, count = 5): T[] {
  const first: T[] = [];
  for (const item of items) {
    if (first.length === count) break;
    first.push(item);
  }
  return first;
}
