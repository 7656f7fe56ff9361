// Certificate rotation on a running server: new connections get the new pair,
// a half-written update (certificate without its key) keeps the last good
// pair, and the kubelet's `..data` symlink swap of a mounted Secret is seen.
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import t from 'tap';
import type { CertificateFiles } from '../../src/server/certificates.js';
import { CertificateReloader } from '../../src/server/certificate-reloader.js';
import { startServer } from '../../src/server/serve.js';
import {
  captureLogger,
  makeServingFiles,
  reviewBody,
  testConfig,
  testWebhooks,
  writeServingFiles,
} from './helpers.js';

const TIMING = { debounceMs: 50, pollIntervalMs: 300 };

/** Returns the SHA-256 fingerprint of the certificate a new connection is served. */
function servedFingerprint(port: number, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** Sends one review over an already open TLS socket and resolves with the status line. */
function reviewOnSocket(socket: TLSSocket, uid: string): Promise<string> {
  const body = reviewBody(uid);
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').split('\r\n')[0]));
    socket.write(
      `POST /allow HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

t.test('half-written update keeps the last good pair', async (t) => {
  const [first, second] = [await makeServingFiles(), await makeServingFiles()];
  const paths = await writeServingFiles(first);
  const log = captureLogger();
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile),
    logger: log.logger,
    webhooks: testWebhooks().webhooks,
    reloaderTiming: TIMING,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });
  const trusted = [first.caCert, second.caCert];
  const port = server.admissionPort;
  t.equal(
    await servedFingerprint(port, trusted),
    fingerprintOf(first.cert),
    'serves the first pair',
  );

  const open = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: trusted });
  await new Promise((resolve) => open.once('secureConnect', resolve));
  t.teardown(() => open.destroy());

  await writeFile(paths.certFile, second.cert);
  const failures = (): number =>
    log
      .lines()
      .filter((line) => line.msg === 'certificate reload failed; keeping the previous certificate')
      .length;
  t.ok(await waitFor(() => failures() === 1), 'the failed reload is logged');
  t.equal(
    await servedFingerprint(port, trusted),
    fingerprintOf(first.cert),
    'still serves the first pair',
  );
  await new Promise((resolve) => setTimeout(resolve, TIMING.pollIntervalMs * 3));
  t.equal(failures(), 1, 'the same bad files are logged once, however often they are polled');

  await writeFile(paths.keyFile, second.key);
  t.ok(
    await waitFor(
      async () => (await servedFingerprint(port, trusted)) === fingerprintOf(second.cert),
    ),
    'new connections get the second pair',
  );
  t.match(
    await reviewOnSocket(open, 'uid-open'),
    /^HTTP\/1\.1 200/,
    'a connection opened before keeps working',
  );
});

/** Lays out a directory the way the kubelet mounts a Secret, and returns a function that swaps its contents. */
async function kubeletVolume(files: CertificateFiles): Promise<{
  directory: string;
  swap: (next: CertificateFiles) => Promise<void>;
}> {
  const directory = await mkdtemp(join(tmpdir(), 'odin-webhook-volume-'));
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

  const swap = async (next: CertificateFiles): Promise<void> => {
    const name = await writeGeneration(next);
    // The kubelet's atomic update: a new symlink renamed over `..data`.
    await symlink(name, join(directory, '..data_tmp'));
    await rename(join(directory, '..data_tmp'), join(directory, '..data'));
  };
  return { directory, swap };
}

t.test('kubelet symlink swap is picked up', async (t) => {
  const [first, second] = [await makeServingFiles(), await makeServingFiles()];
  const volume = await kubeletVolume(first);
  const { logger } = captureLogger();
  const server = await startServer({
    config: testConfig(join(volume.directory, 'tls.crt'), join(volume.directory, 'tls.key')),
    logger,
    webhooks: testWebhooks().webhooks,
    // A poll interval longer than the test shows that the directory watch sees the swap.
    reloaderTiming: { debounceMs: 50, pollIntervalMs: 600_000 },
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(volume.directory, { recursive: true, force: true });
  });
  const trusted = [first.caCert, second.caCert];

  await volume.swap(second);
  t.ok(
    await waitFor(
      async () =>
        (await servedFingerprint(server.admissionPort, trusted)) === fingerprintOf(second.cert),
    ),
    'new connections get the swapped pair',
  );
});

t.test('reload reports whether it applied a pair', async (t) => {
  const [first, second] = [await makeServingFiles(), await makeServingFiles()];
  const paths = await writeServingFiles(first);
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const log = captureLogger();
  const reloader = await CertificateReloader.load(
    { certFile: paths.certFile, keyFile: paths.keyFile },
    log.logger,
  );

  t.equal(await reloader.reload(), false, 'unchanged files');
  await writeFile(paths.keyFile, second.key);
  t.equal(await reloader.reload(), false, 'key of another certificate');
  t.match(log.lines().at(-1), {
    level: 40,
    reason: 'the private key does not match the certificate',
  });
  await writeFile(paths.certFile, second.cert);
  t.equal(await reloader.reload(), true, 'matching pair');
  t.equal(reloader.secureContextOptions().cert?.toString(), second.cert);
  await rm(paths.keyFile);
  t.equal(await reloader.reload(), false, 'missing key file');
  t.equal(reloader.secureContextOptions().key?.toString(), second.key, 'keeps the last good key');
});

t.test('load rejects a mismatched pair', async (t) => {
  const [first, second] = [await makeServingFiles(), await makeServingFiles()];
  const paths = await writeServingFiles({ ...first, key: second.key });
  t.teardown(() => rm(paths.directory, { recursive: true, force: true }));
  const { logger } = captureLogger();

  await t.rejects(
    CertificateReloader.load({ certFile: paths.certFile, keyFile: paths.keyFile }, logger),
    { message: 'the private key does not match the certificate' },
  );
});
