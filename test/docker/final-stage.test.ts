// Checks the Dockerfile's final stage without a container engine. The stage
// must copy exactly the runtime files and run as a numeric user. The same
// files, installed the way the build stage installs them, must then serve an
// AdmissionReview over HTTPS with plain node.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import {
  createCertificateFiles,
  pathsIn,
  writeCertificateFiles,
} from '../../src/server/certificates.js';
import { admissionReview, decodePatch, readObject } from '../helpers/reviews.js';
import { parseCopy, parseDockerfile, type Stage } from './dockerfile.js';

const execFileAsync = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join('dist', 'src', 'cli.js');

/** What the final stage copies from the build stage, relative to the build's /app. */
const RUNTIME_FILES = ['dist', 'examples/templates', 'node_modules', 'package.json'];

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const buildStage = dockerfile.stages[0] as Stage;
const finalStage = dockerfile.stages.at(-1) as Stage;

function argumentsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions
    .filter((entry) => entry.keyword === keyword)
    .map((entry) => entry.argument);
}

t.test('build stage compiles and prunes', async (t) => {
  t.equal(dockerfile.stages.length, 2, 'two stages');
  t.match(buildStage.image, /^node:20(-|$)/, 'build stage is a Node 20 image');

  const commands = argumentsOf(buildStage, 'RUN').join(' && ');
  t.match(commands, /npm ci\b/, 'installs from the lockfile');
  t.match(commands, /npm run build\b/, 'compiles');
  t.match(commands, /npm prune --omit=dev\b/, 'drops dev dependencies');
});

t.test('final stage copies only runtime files', async (t) => {
  t.match(finalStage.image, /^node:20-.*slim$/, 'slim Node 20 runtime');

  const copies = argumentsOf(finalStage, 'COPY').map(parseCopy);
  for (const copy of copies) {
    t.equal(copy.from, buildStage.name, `${copy.sources.join(' ')} comes from the build stage`);
  }
  const sources = copies.flatMap((copy) =>
    copy.sources.map((source) => source.replace(/^\/app\//, '')),
  );
  t.same(sources.sort(), RUNTIME_FILES, 'package.json, node_modules, dist and example templates');
  t.same(argumentsOf(finalStage, 'ADD'), [], 'no ADD');

  const commands = argumentsOf(finalStage, 'RUN').join('\n');
  t.notMatch(
    commands,
    /\b(npm|yarn|apt-get|apk|gcc|make)\s+(ci|install|add|build)/,
    'installs nothing',
  );
});

t.test('final stage runs as a numeric user', async (t) => {
  const users = argumentsOf(finalStage, 'USER');
  t.equal(users.length, 1, 'one USER');
  const user = users[0] ?? '';
  t.match(user, /^\d+(:\d+)?$/, 'numeric user and group');
  const [uid = '', gid = uid] = user.split(':');
  t.not(Number(uid), 0, 'not root');

  const values = parseYaml(
    readFileSync(join(REPO_ROOT, 'charts', 'odin-webhook', 'values.yaml'), 'utf8'),
  );
  t.equal(values.securityContext.runAsUser, Number(uid), 'chart runs as the image user');
  t.equal(values.securityContext.runAsGroup, Number(gid), 'chart runs as the image group');

  t.same(argumentsOf(finalStage, 'ENTRYPOINT'), ['["node", "dist/src/cli.js"]']);
  t.same(argumentsOf(finalStage, 'CMD'), ['["serve"]']);
});

t.test('.dockerignore keeps local files out', async (t) => {
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim());
  for (const entry of ['node_modules', 'dist', 'certs', '.git']) {
    t.ok(ignored.includes(entry), `${entry} is ignored`);
  }
  // The build stage compiles from these, so the context must keep them.
  for (const entry of [
    'src',
    'examples',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    t.notOk(ignored.includes(entry), `${entry} is kept`);
  }
});

/** Returns a port that was free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

interface HttpResponse {
  status: number;
  body: string;
}

function httpsPost(port: number, path: string, body: unknown, ca: string): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        ca,
        servername: 'localhost',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`POST ${path} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** Polls the health server until /readyz returns 200, or raises after the deadline. */
async function waitUntilReady(
  port: number,
  server: ChildProcess,
  deadlineMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`/readyz did not return 200 within ${deadlineMs} ms`);
}

/**
 * Returns a minimal environment for the server, without the test's NODE_OPTIONS
 * loaders, KUBECONFIG or ODIN_WEBHOOK_ variables.
 */
function serverEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
}

const builtCli = join(REPO_ROOT, CLI);

if (!existsSync(builtCli)) {
  const reason = `${CLI} is missing: run \`npm run build\` before this test`;
  if (process.env.CI === 'true') {
    t.fail(reason);
  } else {
    t.test('final stage serves an AdmissionReview', { skip: reason }, async () => {});
  }
} else {
  t.test('final stage serves an AdmissionReview', async (t) => {
    t.setTimeout(10 * 60 * 1000);
    const app = await mkdtemp(join(tmpdir(), 'odin-webhook-image-'));
    t.teardown(() => rm(app, { recursive: true, force: true }));

    // The final stage's files, installed as the build stage leaves them.
    for (const file of ['package.json', 'package-lock.json', 'dist', 'examples/templates']) {
      await cp(join(REPO_ROOT, file), join(app, file), { recursive: true });
    }
    await execFileAsync(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
      {
        cwd: app,
        timeout: 5 * 60 * 1000,
      },
    );
    t.ok(existsSync(join(app, 'node_modules', 'fastify')), 'production dependency installed');
    t.notOk(existsSync(join(app, 'node_modules', 'typescript')), 'no compiler');
    t.notOk(existsSync(join(app, 'node_modules', 'tap')), 'no test runner');

    const certificates = pathsIn(join(app, 'test-certs'));
    const files = await createCertificateFiles({
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    await writeCertificateFiles(certificates, files);

    const [port, healthPort] = [await freePort(), await freePort()];
    const server = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--host=127.0.0.1',
        `--port=${port}`,
        `--health-port=${healthPort}`,
        `--tls-cert=${certificates.cert}`,
        `--tls-key=${certificates.key}`,
        '--templates-dir=examples/templates',
        '--log-level=warn',
      ],
      { cwd: app, env: serverEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    t.teardown(() => {
      if (server.exitCode === null) server.kill('SIGKILL');
    });

    try {
      await waitUntilReady(healthPort, server, 30_000);
    } catch (error) {
      t.fail(`server did not become ready: ${(error as Error).message}`, { output });
      return;
    }

    // A service that references two of the example templates, so the
    // templates directory must have been copied for it to resolve.
    const review = admissionReview({
      object: readObject(join(REPO_ROOT, 'examples/services/llama-tp2.yaml')),
    });
    const response = await httpsPost(
      port,
      '/mutate-odin-moreh-io-v1alpha1-inferenceservice',
      review,
      files.caCert,
    );
    t.equal(response.status, 200, 'HTTP 200', { body: response.body, output });

    const answer = JSON.parse(response.body);
    t.equal(answer.apiVersion, 'admission.k8s.io/v1');
    t.equal(answer.kind, 'AdmissionReview');
    t.equal(answer.response.uid, review.request?.uid, 'uid echoed');
    t.equal(answer.response.allowed, true, 'allowed', { result: answer.response.status });
    t.equal(answer.response.patchType, 'JSONPatch');
    const paths = decodePatch(answer.response.patch).map((operation) => operation.path);
    t.ok(paths.includes('/spec/templateRefs/0/group'), 'defaults the template group', { paths });

    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number | null];
    t.equal(code, 0, 'exits cleanly on SIGTERM', { output });
  });
}
