// The TLS floor and client certificates of a real server on 127.0.0.1, probed
// with the openssl command-line client rather than Node's, so the check does
// not rest on the same TLS stack as the server. TLS 1.0 and 1.1 are refused by
// the server (the client is allowed to offer them), TLS 1.2 and 1.3 connect,
// and with --client-ca only a client with a certificate from that CA gets an
// HTTP response.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  createCertificateAuthority,
  issueCertificate,
  privateKeyPem,
} from '../../src/server/certificates.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { makeServingFiles, testConfig, writeServingFiles } from '../server/helpers.js';
import {
  admissionRequest,
  fixture,
  memoryLogger,
  reviewOf,
  serviceObject,
  VALIDATE_PATH,
} from './support.js';

const OPENSSL_TIMEOUT_MS = 10_000;

interface Probe {
  code: number | null;
  output: string;
}

/**
 * Runs `openssl s_client` with `input` on stdin; resolves with its exit code
 * and all output. With input it waits for the server to close the
 * connection, so the request should carry `Connection: close`.
 */
function sClient(port: number, args: string[], input = ''): Promise<Probe> {
  return new Promise((resolve) => {
    const wait = input === '' ? [] : ['-ign_eof'];
    const child = spawn(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...wait, ...args],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), OPENSSL_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

interface Started {
  server: RunningServer;
  directory: string;
  caFile: string;
}

async function start(
  t: Test,
  extra: (directory: string) => Promise<string[]> = async () => [],
): Promise<Started> {
  const files = await makeServingFiles();
  const paths = await writeServingFiles(files);
  const server = await startServer({
    config: testConfig(paths.certFile, paths.keyFile, await extra(paths.directory)),
    logger: memoryLogger().logger,
    webhooks: fixture().webhooks,
  });
  t.teardown(async () => {
    await server.shutdown();
    await rm(paths.directory, { recursive: true, force: true });
  });
  return { server, directory: paths.directory, caFile: paths.caFile };
}

void t.test('old TLS versions are refused by the server', async (t) => {
  const { server, caFile } = await start(t);
  // Security level 0 lets OpenSSL 3 offer TLS 1.0 and 1.1 at all, so a refusal comes from the server.
  for (const version of ['-tls1', '-tls1_1']) {
    const probe = await sClient(server.admissionPort, [
      version,
      '-cipher',
      'DEFAULT@SECLEVEL=0',
      '-CAfile',
      caFile,
    ]);
    t.not(probe.code, 0, `${version}: openssl fails`);
    t.match(
      probe.output,
      /alert protocol version|unsupported protocol|wrong version number/,
      `${version}: refused by protocol version`,
    );
    t.match(probe.output, /Cipher is \(NONE\)/, `${version}: no session`);
  }
});

void t.test('TLS 1.2 and 1.3 connect', async (t) => {
  const { server, caFile } = await start(t);
  for (const [flag, name] of [
    ['-tls1_2', 'TLSv1.2'],
    ['-tls1_3', 'TLSv1.3'],
  ]) {
    const probe = await sClient(server.admissionPort, [flag, '-CAfile', caFile]);
    t.match(probe.output, `New, ${name}, Cipher is`, `${name} negotiated`);
    t.match(probe.output, 'Verify return code: 0 (ok)', `${name}: the certificate verifies`);
  }
});

async function clientPair(
  directory: string,
  caName: string,
): Promise<{ ca: string; cert: string; key: string }> {
  const ca = await createCertificateAuthority(caName);
  const client = await issueCertificate(ca, { dnsNames: ['kube-apiserver'], usage: 'client' });
  const prefix = join(directory, caName.replace(/\W+/g, '-'));
  await writeFile(`${prefix}-ca.crt`, ca.certificate.toString('pem'));
  await writeFile(`${prefix}.crt`, client.certificate.toString('pem'));
  await writeFile(`${prefix}.key`, await privateKeyPem(client.keys));
  return { ca: `${prefix}-ca.crt`, cert: `${prefix}.crt`, key: `${prefix}.key` };
}

void t.test('with --client-ca only a trusted client is answered', async (t) => {
  let trusted: { ca: string; cert: string; key: string } | undefined;
  let stranger: { ca: string; cert: string; key: string } | undefined;
  const started = await start(t, async (directory) => {
    trusted = await clientPair(directory, 'apiserver client CA');
    stranger = await clientPair(directory, 'other CA');
    return ['--client-ca', trusted.ca];
  });
  const body = JSON.stringify(reviewOf(admissionRequest({ object: serviceObject({}) })));
  const request = `POST ${VALIDATE_PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  const table = [
    { name: 'no certificate', args: [], answered: false },
    {
      name: 'certificate of another CA',
      args: ['-cert', stranger?.cert ?? '', '-key', stranger?.key ?? ''],
      answered: false,
    },
    {
      name: 'certificate of the client CA',
      args: ['-cert', trusted?.cert ?? '', '-key', trusted?.key ?? ''],
      answered: true,
    },
  ];
  for (const version of ['-tls1_2', '-tls1_3']) {
    for (const row of table) {
      const probe = await sClient(
        started.server.admissionPort,
        [version, '-CAfile', started.caFile, ...row.args],
        request,
      );
      if (row.answered)
        t.match(probe.output, /HTTP\/1\.1 200 OK/, `${version} ${row.name}: answered`);
      else t.notMatch(probe.output, /HTTP\/1\.1/, `${version} ${row.name}: no HTTP response`);
    }
  }
});
