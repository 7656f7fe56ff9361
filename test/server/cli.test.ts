// The `odin-webhook` command line: help, exit code 2 for bad usage, and the
// `certs` subcommand writing a usable CA, certificate and key.
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

t.test('help lists subcommands and serve flags', async (t) => {
  const result = await run(['--help']);
  t.equal(result.code, 0);
  for (const text of [
    'serve',
    'certs',
    'render',
    'validate',
    '--keep-alive-timeout MS',
    'ODIN_WEBHOOK_BODY_LIMIT',
  ]) {
    t.match(result.stdout, text, text);
  }
});

t.test('serve help lists every flag', async (t) => {
  const result = await run(['serve', '--help']);
  t.equal(result.code, 0);
  t.match(result.stdout, 'Usage: odin-webhook serve [flags]');
  t.match(result.stdout, '--shutdown-grace MS');
});

t.test('bad usage exits with code 2', async (t) => {
  const cases: [string[], Record<string, string>, string][] = [
    [
      ['serve', '--port', 'abc'],
      {},
      'odin-webhook serve: invalid value "abc" in --port: must be an integer from 0 to 65535\n',
    ],
    [
      ['--max-connections', '-'],
      {},
      'odin-webhook serve: invalid value "-" in --max-connections: must be an integer from 0 to 1000000\n',
    ],
    [
      [],
      { ODIN_WEBHOOK_LOG_LEVEL: 'loud' },
      'odin-webhook serve: invalid value "loud" in ODIN_WEBHOOK_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent\n',
    ],
    [
      ['certs'],
      {},
      'odin-webhook certs: at least one --dns or --ip is required; run with --help for usage\n',
    ],
    [
      ['certs', '--ip', 'localhost'],
      {},
      'odin-webhook certs: invalid value "localhost" for --ip: must be an IPv4 or IPv6 address; run with --help for usage\n',
    ],
  ];
  for (const [args, env, stderr] of cases) {
    const result = await run(args, env);
    t.equal(result.code, 2, `${args.join(' ')} exit code`);
    t.equal(result.stderr, stderr, `${args.join(' ')} message`);
  }

  const unknown = await run(['frobnicate']);
  t.equal(unknown.code, 2, 'unknown subcommand exit code');
  t.match(unknown.stderr, 'odin-webhook: unknown subcommand "frobnicate"');
});

t.test('certs writes a CA, certificate and key', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'odin-webhook-certs-'));
  t.teardown(() => rm(out, { recursive: true, force: true }));

  const result = await run([
    'certs',
    '--dns',
    'odin-webhook.mif.svc',
    '--dns',
    'odin-webhook.mif.svc.cluster.local',
    '--ip',
    '10.0.0.7',
    '--out',
    out,
  ]);
  t.equal(result.code, 0);

  const caPem = await readFile(join(out, 'ca.crt'), 'utf8');
  t.equal(
    Buffer.from(result.stdout.trim(), 'base64').toString('utf8'),
    caPem,
    'stdout is the base64 caBundle',
  );

  const ca = new X509Certificate(caPem);
  const cert = new X509Certificate(await readFile(join(out, 'tls.crt')));
  t.ok(ca.ca, 'ca.crt is a CA');
  t.ok(cert.verify(ca.publicKey), 'tls.crt is signed by ca.crt');
  t.equal(
    cert.subjectAltName,
    'DNS:odin-webhook.mif.svc, DNS:odin-webhook.mif.svc.cluster.local, IP Address:10.0.0.7',
  );
  t.ok(
    cert.checkPrivateKey(createPrivateKey(await readFile(join(out, 'tls.key')))),
    'tls.key matches tls.crt',
  );
  t.equal((await stat(join(out, 'tls.key'))).mode & 0o777, 0o600, 'tls.key is private');
  t.ok(new Date(cert.validTo).getTime() - Date.now() > 360 * 24 * 3600 * 1000, 'valid for a year');
});
