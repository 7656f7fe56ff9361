// Certificate rotation on the compiled server under load. autocannon sends
// the mutate example review over keep-alive HTTPS connections, some of which
// reconnect every 150 requests so that TLS handshakes go on during the
// swap. A probe opens a new verified connection every 100 ms. Midway the
// pair is replaced by one from another CA: once by the kubelet's `..data`
// symlink swap, once file by file with the key renamed in last, so that the
// server first reads a half-written update.
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type autocannon from 'autocannon';
import t, { type Test } from 'tap';
import type { AdmissionReview } from '../../src/admission/review.js';
import { makeServingFiles, writeServingFiles } from '../server/helpers.js';
import {
  countBy,
  exampleReview,
  type ExpectedDecision,
  fingerprintOf,
  firstOf,
  kubeletVolume,
  PATHS,
  probeReview,
  type ProbeResult,
  replaceFile,
  requireBuild,
  responseProblem,
  type ReviewLoad,
  reviewWithUid,
  runReviewLoad,
  servedFingerprint,
  sleep,
  spawnServer,
  temporaryDirectory,
} from './support.js';

requireBuild();

const LOAD_SECONDS = 4;
const KEEP_ALIVE_CONNECTIONS = 3;
const RECONNECTING_CONNECTIONS = 2;
/** Requests per connection between reconnects of the reconnecting run. */
const RECONNECT_RATE = 150;
const PROBE_INTERVAL_MS = 100;
/** Fewer answered reviews than this means the run did not load the server. */
const MIN_RESPONSES = 100;
const MUTATED: ExpectedDecision = { allowed: true, patch: true };
const RELOAD_FAILED = 'certificate reload failed; keeping the previous certificate';
const RELOADED = 'serving certificate reloaded';

interface RotationLoad {
  keepAlive: ReviewLoad;
  reconnecting: ReviewLoad;
  probes: ProbeResult[];
  /** Waits for both runs to end and stops the probes. */
  finish(): Promise<{ keepAlive: autocannon.Result; reconnecting: autocannon.Result }>;
  /** Stops the runs and the probes at once, for teardown. */
  stop(): void;
}

/** Sends probe reviews over new connections until `isRunning` turns false. */
async function probeUntilStopped(
  port: number,
  ca: string[],
  review: AdmissionReview,
  results: ProbeResult[],
  isRunning: () => boolean,
): Promise<void> {
  for (let index = 0; isRunning(); index++) {
    const uid = `probe-${index}`;
    const startedAt = performance.now();
    try {
      const response = await probeReview(port, PATHS.mutate, ca, reviewWithUid(review, uid));
      const problem =
        response.status === 200
          ? responseProblem(response.body, uid, MUTATED)
          : `HTTP ${response.status}`;
      results.push({ startedAt, fingerprint: response.fingerprint, problem });
    } catch (error) {
      results.push({ startedAt, problem: (error as Error).message });
    }
    await sleep(PROBE_INTERVAL_MS);
  }
}

function startRotationLoad(port: number, review: AdmissionReview, ca: string[]): RotationLoad {
  const common = {
    port,
    path: PATHS.mutate,
    review,
    expected: MUTATED,
    durationSeconds: LOAD_SECONDS,
    ca,
    deadlineMs: (LOAD_SECONDS + 10) * 1000,
  };
  const keepAlive = runReviewLoad({
    ...common,
    connections: KEEP_ALIVE_CONNECTIONS,
    uidPrefix: 'keep-alive',
  });
  const reconnecting = runReviewLoad({
    ...common,
    connections: RECONNECTING_CONNECTIONS,
    reconnectRate: RECONNECT_RATE,
    uidPrefix: 'reconnecting',
  });

  const probes: ProbeResult[] = [];
  let probing = true;
  const probeLoop = probeUntilStopped(port, ca, review, probes, () => probing);

  return {
    keepAlive,
    reconnecting,
    probes,
    async finish() {
      try {
        const results = await Promise.all([keepAlive.done, reconnecting.done]);
        return { keepAlive: results[0], reconnecting: results[1] };
      } finally {
        probing = false;
        await probeLoop;
      }
    },
    stop() {
      keepAlive.stop();
      reconnecting.stop();
      probing = false;
    },
  };
}

/** Asserts that a run had no errors and that every response was a valid review for its request. */
function checkRun(t: Test, name: string, load: ReviewLoad, result: autocannon.Result): void {
  const errorCodes = countBy(load.errors, (error) => error.code);
  t.equal(result.errors, 0, `${name}: no connection errors`, { errorCodes });
  t.equal(result.timeouts, 0, `${name}: no timeouts`);
  t.equal(result.non2xx, 0, `${name}: no non-2xx responses`);
  t.equal(load.problems.length, 0, `${name}: every response is a valid review for its uid`, {
    problems: firstOf(load.problems),
  });
  t.equal(load.answered.size, result['2xx'], `${name}: every 2xx response was checked`);
  t.ok(
    result['2xx'] >= MIN_RESPONSES,
    `${name}: at least ${MIN_RESPONSES} responses (got ${result['2xx']})`,
  );
}

function checkProbes(t: Test, probes: ProbeResult[]): void {
  const failed = probes.filter((probe) => probe.problem !== undefined);
  t.equal(failed.length, 0, 'every probe on a new connection got a valid review', {
    failed: firstOf(failed.map((probe) => probe.problem)),
  });
}

/** Returns the fingerprints served to probes that started within [from, to). */
function probeFingerprints(
  probes: ProbeResult[],
  from: number,
  to: number,
): Set<string | undefined> {
  return new Set(
    probes
      .filter((probe) => probe.startedAt >= from && probe.startedAt < to)
      .map((probe) => probe.fingerprint),
  );
}

function countLines(lines: { msg?: string }[], message: string): number {
  return lines.filter((line) => line.msg === message).length;
}

void t.test('kubelet symlink swap under load', async (t) => {
  const [first, second] = await Promise.all([makeServingFiles(), makeServingFiles()]);
  const volume = await kubeletVolume(await temporaryDirectory(t, 'odin-load-volume-'), first);
  const server = await spawnServer(t, { certFile: volume.certFile, keyFile: volume.keyFile });
  const port = server.admissionPort;
  const trusted = [first.caCert, second.caCert];
  const [oldFingerprint, newFingerprint] = [fingerprintOf(first.cert), fingerprintOf(second.cert)];

  const load = startRotationLoad(port, await exampleReview('mutate-llama-tp2'), trusted);
  t.teardown(() => load.stop());

  await sleep(1200);
  const swappedAt = performance.now();
  await volume.swap(second);
  const reloaded = await server.waitForLine(RELOADED);
  const reloadSeenAt = performance.now();
  t.equal(reloaded.fingerprint256, newFingerprint, 'the reload is logged with the new fingerprint');
  t.equal(
    await servedFingerprint(port, [second.caCert]),
    newFingerprint,
    'a new connection that trusts only the new CA is served the new certificate',
  );

  const results = await load.finish();
  checkRun(t, 'keep-alive run', load.keepAlive, results.keepAlive);
  checkRun(t, 'reconnecting run', load.reconnecting, results.reconnecting);
  checkProbes(t, load.probes);
  t.same(
    probeFingerprints(load.probes, 0, swappedAt),
    new Set([oldFingerprint]),
    'probes before the swap are served the old certificate',
  );
  t.same(
    probeFingerprints(load.probes, reloadSeenAt, Infinity),
    new Set([newFingerprint]),
    'probes after the logged reload are served the new certificate',
  );
  t.same(
    Object.fromEntries(load.keepAlive.handshakes),
    { [oldFingerprint]: KEEP_ALIVE_CONNECTIONS },
    'keep-alive connections stay open on the old certificate: one handshake each',
  );
  t.ok(
    (load.reconnecting.handshakes.get(newFingerprint) ?? 0) > 0,
    'handshakes of the reconnecting run after the swap get the new certificate',
  );
  t.same(
    [...load.reconnecting.handshakes.keys()].sort(),
    [oldFingerprint, newFingerprint].sort(),
    'no handshake is served anything but the old or the new certificate',
  );
  t.equal(countLines(server.lines, RELOAD_FAILED), 0, 'the atomic swap logs no failed reload');

  t.comment(
    [
      `responses: keep-alive ${results.keepAlive['2xx']}`,
      `reconnecting ${results.reconnecting['2xx']}`,
      `probes ${load.probes.length}`,
      `reconnecting handshakes: old ${load.reconnecting.handshakes.get(oldFingerprint)}, ` +
        `new ${load.reconnecting.handshakes.get(newFingerprint)}`,
      `reload logged ${Math.round(reloadSeenAt - swappedAt)} ms after the swap`,
    ].join('; '),
  );
});

void t.test('half-written update under load', async (t) => {
  const [first, second] = await Promise.all([makeServingFiles(), makeServingFiles()]);
  const paths = await writeServingFiles(first);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const server = await spawnServer(t, { certFile: paths.certFile, keyFile: paths.keyFile });
  const port = server.admissionPort;
  const trusted = [first.caCert, second.caCert];
  const [oldFingerprint, newFingerprint] = [fingerprintOf(first.cert), fingerprintOf(second.cert)];

  const load = startRotationLoad(port, await exampleReview('mutate-llama-tp2'), trusted);
  t.teardown(() => load.stop());

  await sleep(1000);
  // The certificate of the new pair lands first, so for a while the files do not match.
  await replaceFile(paths.certFile, second.cert);
  const failed = await server.waitForLine(RELOAD_FAILED);
  const halfWrittenSeenAt = performance.now();
  t.equal(
    failed.reason,
    'the private key does not match the certificate',
    'the failed reload is logged with its reason',
  );
  t.equal(
    await servedFingerprint(port, trusted),
    oldFingerprint,
    'a new connection during the half-written update gets the old certificate',
  );

  await sleep(800);
  const keyWrittenAt = performance.now();
  await replaceFile(paths.keyFile, second.key);
  const reloaded = await server.waitForLine(RELOADED);
  const reloadSeenAt = performance.now();
  t.equal(reloaded.fingerprint256, newFingerprint, 'the reload is logged with the new fingerprint');
  t.equal(
    await servedFingerprint(port, [second.caCert]),
    newFingerprint,
    'a new connection that trusts only the new CA is served the new certificate',
  );

  const results = await load.finish();
  checkRun(t, 'keep-alive run', load.keepAlive, results.keepAlive);
  checkRun(t, 'reconnecting run', load.reconnecting, results.reconnecting);
  checkProbes(t, load.probes);
  const halfWrittenProbeCount = load.probes.filter(
    (probe) => probe.startedAt >= halfWrittenSeenAt && probe.startedAt < keyWrittenAt,
  ).length;
  t.same(
    probeFingerprints(load.probes, halfWrittenSeenAt, keyWrittenAt),
    new Set([oldFingerprint]),
    'probes during the half-written update get the old certificate',
  );
  t.same(
    probeFingerprints(load.probes, reloadSeenAt, Infinity),
    new Set([newFingerprint]),
    'probes after the logged reload are served the new certificate',
  );
  t.same(
    Object.fromEntries(load.keepAlive.handshakes),
    { [oldFingerprint]: KEEP_ALIVE_CONNECTIONS },
    'keep-alive connections stay open on the old certificate: one handshake each',
  );
  t.ok(
    (load.reconnecting.handshakes.get(newFingerprint) ?? 0) > 0,
    'handshakes of the reconnecting run after the reload get the new certificate',
  );
  t.same(
    [...load.reconnecting.handshakes.keys()].sort(),
    [oldFingerprint, newFingerprint].sort(),
    'no handshake is served anything but the old or the new certificate',
  );
  t.equal(countLines(server.lines, RELOAD_FAILED), 1, 'the half-written update is logged once');

  t.comment(
    [
      `responses: keep-alive ${results.keepAlive['2xx']}`,
      `reconnecting ${results.reconnecting['2xx']}`,
      `probes ${load.probes.length}, ${halfWrittenProbeCount} during the half-written update`,
      `reconnecting handshakes: old ${load.reconnecting.handshakes.get(oldFingerprint)}, ` +
        `new ${load.reconnecting.handshakes.get(newFingerprint)}`,
    ].join('; '),
  );
});
