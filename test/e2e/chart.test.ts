// End to end: the Helm chart installed with helm into a kube-apiserver of its
// own, in url mode, with the webhook running outside the cluster on
// 127.0.0.1 under the chart's ServiceAccount. Checks what the chart creates,
// that the NOTES commands behave as printed, and that upgrade and uninstall
// leave the cluster as the chart's README describes.
// Needs the binaries of scripts/tools/build-kube.sh and build-helm.sh, and
// `npm run build`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import t, { type Test } from 'tap';
import { findKubeBinaries } from './harness/binaries.js';
import { writeKubeconfig } from './harness/cluster.js';
import {
  startBareCluster,
  waitForCrds,
  waitForWebhookCalls,
  type BareCluster,
} from './harness/environment.js';
import { findHelm, helmFor, type Helm } from './harness/helm.js';
import { mustKubectl } from './harness/kubectl.js';
import { freePort, waitUntil } from './harness/processes.js';
import { REPOSITORY, startWebhook } from './harness/webhook.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHART = join(REPOSITORY, 'charts', 'odin-webhook');
const RELEASE = 'odin-webhook';
const RELEASE_NAMESPACE = 'odin-webhook-system';
const SYSTEM_NAMESPACE = 'mif';
const CRDS = ['inferenceservices.odin.moreh.io', 'inferenceservicetemplates.odin.moreh.io'];
const MUTATE_PATH = '/mutate-odin-moreh-io-v1alpha1-inferenceservice';
const VALIDATE_SERVICE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservice';
const VALIDATE_TEMPLATE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate';
const NOTES_COMMAND = "cat <<'YAML' | kubectl create --dry-run=server -f -";
const DATA_AND_PIPELINE_DENIAL =
  'The InferenceService "webhook-check" is invalid: ' +
  'spec.parallelism: Forbidden: `data` and `pipeline` are mutually exclusive';

/** What the chart tests share: the cluster, helm, the webhook's URL and CA bundle. */
interface ChartRun {
  cluster: BareCluster;
  helm: Helm;
  kubectlBinary: string;
  url: string;
  port: number;
  caBundle: string;
  /** Output of the first `helm upgrade --install`, with the NOTES. */
  installOutput: string;
}

const binaries = await findKubeBinaries();
const helmBinary = findHelm();
if ('missing' in binaries || typeof helmBinary !== 'string') {
  const reason =
    'missing' in binaries ? binaries.missing : (helmBinary as { missing: string }).missing;
  if (process.env.CI === 'true') t.fail(reason);
  else t.plan(0, reason);
} else {
  const cluster = await startBareCluster(t, binaries).catch((error: unknown) => {
    t.fail(`cluster did not start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (cluster) {
    const port = await freePort();
    const run: ChartRun = {
      cluster,
      helm: helmFor(helmBinary, cluster.kubeconfig, cluster.directory),
      kubectlBinary: binaries.kubectl,
      url: `https://127.0.0.1:${port}`,
      port,
      caBundle: Buffer.from(cluster.pki.caPem).toString('base64'),
      installOutput: '',
    };
    await runCases(run);
  }
}

async function runCases(run: ChartRun): Promise<void> {
  // Later cases need the release and the running webhook, so they are skipped
  // when either step failed.
  const installed = await t.test('chart installs CRDs and webhook configurations', (t) =>
    installChart(t, run),
  );
  if (!installed?.ok) return;
  await t.test('writes rejected while webhook is unreachable', (t) => rejectWithoutServer(t, run));
  const started = await t.test('webhook runs under chart ServiceAccount', (t) =>
    startUnderServiceAccount(t, run),
  );
  if (!started?.ok) return;
  await t.test('NOTES dry-run checks behave as printed', (t) => followNotes(t, run));
  await t.test('corpus service persists defaults through chart', (t) => admitCorpusService(t, run));
  await t.test('helm upgrade keeps admission working', (t) => upgradeChart(t, run));
  await t.test('helm uninstall removes webhook configurations', (t) => uninstallChart(t, run));
}

async function getJson(run: ChartRun, args: readonly string[]): Promise<Json> {
  return JSON.parse(await mustKubectl(run.cluster.kubectl, ['get', ...args, '-o', 'json'])) as Json;
}

function installArgs(run: ChartRun, extra: readonly string[] = []): string[] {
  return [
    'upgrade',
    '--install',
    RELEASE,
    CHART,
    '--namespace',
    RELEASE_NAMESPACE,
    '--create-namespace',
    '--set',
    `webhook.url=${run.url}`,
    '--set',
    `webhook.caBundle=${run.caBundle}`,
    '--set',
    'crds.install=true',
    '--set',
    `server.systemNamespace=${SYSTEM_NAMESPACE}`,
    '--timeout',
    '90s',
    ...extra,
  ];
}

async function installChart(t: Test, run: ChartRun): Promise<void> {
  const { kubectl } = run.cluster;
  const result = await run.helm(installArgs(run));
  run.installOutput = result.stdout;
  t.equal(result.code, 0, `helm upgrade --install exited 0: ${result.stderr}`);
  if (result.code !== 0) return;
  await waitForCrds(kubectl);

  for (const name of CRDS) {
    const crd = await getJson(run, ['crd', name]);
    const annotations = (crd.metadata.annotations ?? {}) as Record<string, string>;
    t.equal(annotations['meta.helm.sh/release-name'], RELEASE, `${name} belongs to the release`);
    t.equal(annotations['helm.sh/resource-policy'], 'keep', `${name} is kept on uninstall`);
    t.equal(
      crd.metadata.labels?.['app.kubernetes.io/managed-by'],
      'Helm',
      `${name} managed by Helm`,
    );
  }

  const mutating = await getJson(run, ['mutatingwebhookconfiguration', RELEASE]);
  const validating = await getJson(run, ['validatingwebhookconfiguration', RELEASE]);
  const expected: Array<[Json, string, string, string[]]> = [
    [
      mutating,
      'mutate-inferenceservice.odin.moreh.io',
      MUTATE_PATH,
      ['inferenceservices', 'inferenceservices/status'],
    ],
    [
      validating,
      'validate-inferenceservice.odin.moreh.io',
      VALIDATE_SERVICE_PATH,
      ['inferenceservices'],
    ],
    [
      validating,
      'validate-inferenceservicetemplate.odin.moreh.io',
      VALIDATE_TEMPLATE_PATH,
      ['inferenceservicetemplates'],
    ],
  ];
  t.equal(mutating.webhooks.length, 1, 'one mutating webhook');
  t.equal(validating.webhooks.length, 2, 'two validating webhooks');
  for (const [configuration, name, path, resources] of expected) {
    const webhook = (configuration.webhooks as Json[]).find((entry) => entry.name === name);
    t.ok(webhook, `${name} present`);
    if (!webhook) continue;
    t.equal(webhook.clientConfig.url, `${run.url}${path}`, `${name} calls ${path}`);
    t.equal(webhook.clientConfig.service, undefined, `${name} has no in-cluster service`);
    t.equal(webhook.clientConfig.caBundle, run.caBundle, `${name} trusts the webhook's CA`);
    t.equal(webhook.failurePolicy, 'Fail', `${name} failurePolicy`);
    t.equal(webhook.sideEffects, 'None', `${name} sideEffects`);
    t.same(webhook.rules?.[0]?.resources, resources, `${name} resources`);
    t.same(
      webhook.namespaceSelector?.matchExpressions?.[0]?.values,
      ['kube-system', RELEASE_NAMESPACE],
      `${name} leaves out kube-system and the release namespace`,
    );
  }
  const templateWebhook = (validating.webhooks as Json[]).find(
    (entry) => entry.name === 'validate-inferenceservicetemplate.odin.moreh.io',
  );
  t.same(templateWebhook?.rules?.[0]?.operations, ['CREATE', 'UPDATE', 'DELETE']);

  const deployments = await mustKubectl(kubectl, [
    'get',
    'deployments',
    '-n',
    RELEASE_NAMESPACE,
    '-o',
    'name',
  ]);
  t.equal(deployments, '', 'url mode installs no Deployment');
  t.match(run.installOutput, `The webhook configurations call ${run.url}.`, 'NOTES name the URL');
}

/**
 * Returns the NOTES' dry-run command, from its `cat <<'YAML'` line through
 * the closing `YAML`, as a user would paste it into a shell.
 */
function notesCommand(notes: string): string | undefined {
  const lines = notes.split('\n');
  const start = lines.indexOf(NOTES_COMMAND);
  const end = lines.indexOf('YAML', start + 1);
  if (start < 0 || end < 0) return undefined;
  return lines.slice(start, end + 1).join('\n');
}

/** Runs a shell command with the test cluster's kubectl first on PATH; cut after 60 s. */
function runShell(
  run: ChartRun,
  command: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    PATH: `${dirname(run.kubectlBinary)}:${process.env.PATH ?? ''}`,
    KUBECONFIG: run.cluster.kubeconfig,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function rejectWithoutServer(t: Test, run: ChartRun): Promise<void> {
  t.match(
    run.installOutput.replace(/\s+/g, ' '),
    'while it is unreachable the apiserver rejects writes (failurePolicy Fail)',
    'NOTES warn about the unreachable server',
  );
  const command = notesCommand(run.installOutput);
  t.ok(command, 'NOTES contain the dry-run command');
  if (!command) return;
  const valid = command.replace(/^ {4}pipeline: 2\n/m, '');
  // The apiserver reads webhook configurations through an informer, so the
  // first write after the install may not call the webhook yet.
  let last = { code: 0 as number | null, stdout: '', stderr: '' };
  await waitUntil(
    'the apiserver to call the unreachable webhook',
    async () => {
      last = await runShell(run, valid);
      return last.code !== 0;
    },
    30_000,
  ).catch(() => undefined);
  t.not(last.code, 0, 'a valid service is rejected');
  t.match(last.stderr, /failed calling webhook "mutate-inferenceservice\.odin\.moreh\.io"/);
  t.match(last.stderr, 'connect: connection refused');
}

async function startUnderServiceAccount(t: Test, run: ChartRun): Promise<void> {
  const { cluster } = run;
  const token = (
    await mustKubectl(cluster.kubectl, [
      'create',
      'token',
      RELEASE,
      '-n',
      RELEASE_NAMESPACE,
      '--duration=2h',
    ])
  ).trim();
  t.ok(token.length > 0, 'the ServiceAccount gets a token');
  const kubeconfig = join(cluster.directory, 'service-account.kubeconfig');
  await writeKubeconfig(kubeconfig, cluster.server, cluster.pki.caPem, token);

  const serviceAccount = `system:serviceaccount:${RELEASE_NAMESPACE}:${RELEASE}`;
  for (const verb of ['get', 'list', 'watch']) {
    const permitted = await cluster.kubectl([
      'auth',
      'can-i',
      verb,
      'inferenceservicetemplates',
      '-A',
      `--as=${serviceAccount}`,
    ]);
    t.equal(permitted.stdout.trim(), 'yes', `the ServiceAccount may ${verb} templates`);
  }
  for (const verb of ['create', 'update', 'delete']) {
    const permitted = await cluster.kubectl([
      'auth',
      'can-i',
      verb,
      'inferenceservices',
      '-A',
      `--as=${serviceAccount}`,
    ]);
    t.equal(permitted.stdout.trim(), 'no', `the ServiceAccount may not ${verb} services`);
  }

  for (const namespace of [SYSTEM_NAMESPACE, 'team-a', 'team-b'])
    await mustKubectl(cluster.kubectl, ['create', 'namespace', namespace]);
  // Caches that cannot list templates or services keep /readyz failing, so a
  // start proves the chart's read-only ClusterRole is enough.
  await startWebhook(cluster.processes, {
    kubeconfig,
    pki: cluster.pki,
    systemNamespace: SYSTEM_NAMESPACE,
    port: run.port,
  });
  await waitForWebhookCalls(cluster.kubectl);
  t.pass('the webhook serves with the ServiceAccount token');
}

async function followNotes(t: Test, run: ChartRun): Promise<void> {
  const command = notesCommand(run.installOutput);
  t.ok(command, 'NOTES contain the dry-run command');
  if (!command) return;

  const invalid = await runShell(run, command);
  t.not(invalid.code, 0, 'data with pipeline is rejected');
  t.match(invalid.stderr, exactLine(DATA_AND_PIPELINE_DENIAL));

  const valid = command.replace(/^ {4}pipeline: 2\n/m, '');
  t.not(valid, command, 'the pipeline line is removed');
  const accepted = await runShell(run, valid);
  t.equal(accepted.code, 0, `without pipeline it is accepted: ${accepted.stderr}`);
  t.match(accepted.stdout, 'inferenceservice.odin.moreh.io/webhook-check created (server dry run)');

  const withYaml = valid.replace(NOTES_COMMAND, `${NOTES_COMMAND} -o yaml`);
  const defaulted = await runShell(run, withYaml);
  t.equal(defaulted.code, 0, `with -o yaml it is accepted: ${defaulted.stderr}`);
  t.match(defaulted.stdout, /^ {2}replicas: 1$/m, 'output shows spec.replicas');
  t.match(
    defaulted.stdout,
    /^ {2}service:\n {4}target: auto$/m,
    'output shows spec.service.target',
  );

  const lookup = await run.cluster.kubectl(['get', 'isvc', 'webhook-check', '-n', 'default']);
  t.match(lookup.stderr, /NotFound/, 'dry runs store nothing');
}

async function admitCorpusService(t: Test, run: ChartRun): Promise<void> {
  const { kubectl } = run.cluster;
  await mustKubectl(kubectl, ['apply', '-f', join(REPOSITORY, 'examples', 'templates')]);
  const created = await kubectl([
    'create',
    '-f',
    join(REPOSITORY, 'examples', 'services', 'llama-tp2.yaml'),
  ]);
  t.equal(created.code, 0, `llama-tp2 created: ${created.stderr}`);

  const llama = await getJson(run, ['isvc', 'llama-tp2', '-n', 'team-a']);
  t.equal(llama.spec.replicas, 2, 'replicas kept');
  t.equal(llama.spec.service?.target, 'auto', 'service.target defaulted');
  for (const reference of llama.spec.templateRefs as Json[]) {
    t.equal(reference.group, 'odin.moreh.io', `${reference.name} group defaulted`);
    t.equal(reference.kind, 'InferenceServiceTemplate', `${reference.name} kind defaulted`);
  }

  await mustKubectl(kubectl, [
    'patch',
    'isvc',
    'llama-tp2',
    '-n',
    'team-a',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{}}',
  ]);
  const withStatus = await getJson(run, ['isvc', 'llama-tp2', '-n', 'team-a']);
  t.equal(withStatus.status?.renderedSpec?.parallelism?.tensor, 2, 'status write renders the spec');

  const deleted = await kubectl(['delete', 'ist', 'vllm', '-n', SYSTEM_NAMESPACE]);
  t.equal(deleted.code, 1, 'template in use not deleted');
  t.match(
    deleted.stderr,
    'admission webhook "validate-inferenceservicetemplate.odin.moreh.io" denied the request: ' +
      'InferenceServiceTemplate "mif/vllm" is in use by 1 InferenceService: team-a/llama-tp2',
  );
}

async function upgradeChart(t: Test, run: ChartRun): Promise<void> {
  const { kubectl } = run.cluster;
  const upgraded = await run.helm(installArgs(run, ['--set', 'webhook.timeoutSeconds=5']));
  t.equal(upgraded.code, 0, `helm upgrade exited 0: ${upgraded.stderr}`);
  const status = JSON.parse(
    (await run.helm(['status', RELEASE, '-n', RELEASE_NAMESPACE, '-o', 'json'])).stdout || '{}',
  ) as Json;
  t.equal(status.version, 2, 'release at revision 2');
  t.equal(status.info?.status, 'deployed', 'release deployed');

  const mutating = await getJson(run, ['mutatingwebhookconfiguration', RELEASE]);
  t.equal(mutating.webhooks[0].timeoutSeconds, 5, 'new timeout applied');
  t.equal(mutating.webhooks[0].clientConfig.url, `${run.url}${MUTATE_PATH}`, 'URL kept');
  for (const name of CRDS) {
    const crd = await kubectl(['get', 'crd', name]);
    t.equal(crd.code, 0, `${name} still installed`);
  }
  const llama = await kubectl(['get', 'isvc', 'llama-tp2', '-n', 'team-a']);
  t.equal(llama.code, 0, 'existing service kept');

  const command = notesCommand(upgraded.stdout);
  t.ok(command, 'upgrade NOTES contain the dry-run command');
  if (!command) return;
  const invalid = await runShell(run, command);
  t.match(invalid.stderr, exactLine(DATA_AND_PIPELINE_DENIAL), 'still denied after the upgrade');
}

async function uninstallChart(t: Test, run: ChartRun): Promise<void> {
  const { kubectl } = run.cluster;
  const removed = await run.helm([
    'uninstall',
    RELEASE,
    '-n',
    RELEASE_NAMESPACE,
    '--timeout',
    '90s',
  ]);
  t.equal(removed.code, 0, `helm uninstall exited 0: ${removed.stderr}`);

  for (const kind of ['mutatingwebhookconfiguration', 'validatingwebhookconfiguration']) {
    const lookup = await kubectl(['get', kind, RELEASE]);
    t.match(lookup.stderr, /NotFound/, `${kind} removed`);
  }
  for (const name of CRDS) {
    const crd = await kubectl(['get', 'crd', name]);
    t.equal(crd.code, 0, `${name} kept by its resource policy`);
  }
  const llama = await kubectl(['get', 'isvc', 'llama-tp2', '-n', 'team-a']);
  t.equal(llama.code, 0, 'services kept with their CRD');

  // With no webhook left, only the CRD schema checks writes, and it allows
  // data with pipeline; the apiserver drops removed webhooks a moment later.
  const command = notesCommand(run.installOutput) ?? '';
  let last = { code: 1 as number | null, stdout: '', stderr: '' };
  await waitUntil(
    'the apiserver to stop calling the webhook',
    async () => {
      last = await runShell(run, command);
      return last.code === 0;
    },
    30_000,
  ).catch(() => undefined);
  t.equal(last.code, 0, `the NOTES service is accepted unchecked: ${last.stderr}`);
}

/** Returns a pattern matching `text` as one whole line. */
function exactLine(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');
}
