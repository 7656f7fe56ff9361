// Renders the chart with `helm template` in each certificate mode and in url
// mode, and checks the fields that decide whether the apiserver calls the
// webhook, whether the pods run hardened, and what the ServiceAccount may do.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import {
  CHART_DIR,
  RELEASE,
  kindsOf,
  only,
  renderChart,
  requireHelm,
  type Manifest,
} from './helm.js';

const NAMESPACE = 'odin-system';
const SERVICE_DNS_NAME = `${RELEASE}.${NAMESPACE}.svc`;
const MUTATE_PATH = '/mutate-odin-moreh-io-v1alpha1-inferenceservice';
const VALIDATE_SERVICE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservice';
const VALIDATE_TEMPLATE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate';

/** Objects of every in-cluster mode, besides the certificate objects and CRDs. */
const IN_CLUSTER_KINDS = [
  'ClusterRole',
  'ClusterRoleBinding',
  'Deployment',
  'MutatingWebhookConfiguration',
  'PodDisruptionBudget',
  'Service',
  'ServiceAccount',
  'ValidatingWebhookConfiguration',
];

interface Webhook {
  name: string;
  clientConfig: {
    service?: { name: string; namespace: string; path: string; port: number };
    url?: string;
    caBundle?: string;
  };
  rules: Array<{
    apiGroups: string[];
    apiVersions: string[];
    operations: string[];
    resources: string[];
    scope: string;
  }>;
  failurePolicy: string;
  sideEffects: string;
  admissionReviewVersions: string[];
  timeoutSeconds: number;
  matchPolicy: string;
  reinvocationPolicy?: string;
  namespaceSelector: {
    matchExpressions?: Array<{ key: string; operator: string; values: string[] }>;
  };
}

/** A rendered object whose fields the tests read without declaring their types. */
type AnyObject = Record<string, any>;

function webhooksOf(manifests: readonly Manifest[]): Webhook[] {
  return [
    ...(only(manifests, 'MutatingWebhookConfiguration').webhooks as Webhook[]),
    ...(only(manifests, 'ValidatingWebhookConfiguration').webhooks as Webhook[]),
  ];
}

function podSpecOf(manifests: readonly Manifest[]): AnyObject {
  return (only(manifests, 'Deployment') as AnyObject).spec.template.spec;
}

function crdsOf(manifests: readonly Manifest[]): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === 'CustomResourceDefinition');
}

/** Counts the CRD documents under files/crds of a chart directory. */
async function countCrdFiles(chart: string): Promise<number> {
  const directory = join(chart, 'files', 'crds');
  const names = (await readdir(directory).catch(() => [])).filter((name) => name.endsWith('.yaml'));
  let count = 0;
  for (const name of names) {
    const documents = parseAllDocuments(await readFile(join(directory, name), 'utf8'));
    count += documents.filter((document) => document.toJS() !== null).length;
  }
  return count;
}

const helm = await requireHelm(t);

if (helm !== undefined) {
  const render = (set: string[] = [], chart?: string): Promise<Manifest[]> =>
    renderChart(helm, { namespace: NAMESPACE, set, chart });

  // Most tests read the default rendering, so it is rendered once.
  let defaults: Promise<Manifest[]> | undefined;
  const renderDefaults = (): Promise<Manifest[]> => (defaults ??= render());

  t.test('webhook configurations route each path', async (t) => {
    const manifests = await renderDefaults();
    const mutating = only(manifests, 'MutatingWebhookConfiguration').webhooks as Webhook[];
    const validating = only(manifests, 'ValidatingWebhookConfiguration').webhooks as Webhook[];
    t.equal(mutating.length, 1, 'one mutating webhook');
    t.equal(validating.length, 2, 'two validating webhooks');

    const [mutate] = mutating as [Webhook];
    t.equal(mutate.clientConfig.service?.path, MUTATE_PATH);
    t.same(mutate.rules, [
      {
        apiGroups: ['odin.moreh.io'],
        apiVersions: ['v1alpha1'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['inferenceservices', 'inferenceservices/status'],
        scope: 'Namespaced',
      },
    ]);
    t.equal(mutate.reinvocationPolicy, 'IfNeeded');

    const [validateService, validateTemplate] = validating as [Webhook, Webhook];
    t.equal(validateService.clientConfig.service?.path, VALIDATE_SERVICE_PATH);
    t.same(validateService.rules[0]?.resources, ['inferenceservices']);
    t.same(validateService.rules[0]?.operations, ['CREATE', 'UPDATE']);
    t.equal(validateTemplate.clientConfig.service?.path, VALIDATE_TEMPLATE_PATH);
    t.same(validateTemplate.rules[0]?.resources, ['inferenceservicetemplates']);
    t.same(validateTemplate.rules[0]?.operations, ['CREATE', 'UPDATE', 'DELETE']);

    const names = webhooksOf(manifests).map((webhook) => webhook.name);
    t.equal(new Set(names).size, 3, 'webhook names are unique');
  });

  t.test('every webhook fails closed without side effects', async (t) => {
    const manifests = await renderDefaults();
    const service = only(manifests, 'Service') as AnyObject;
    const httpsPort = service.spec.ports.find((port: AnyObject) => port.name === 'https');

    for (const webhook of webhooksOf(manifests)) {
      t.equal(webhook.failurePolicy, 'Fail', `${webhook.name} failurePolicy`);
      t.equal(webhook.sideEffects, 'None', `${webhook.name} sideEffects`);
      t.same(webhook.admissionReviewVersions, ['v1'], `${webhook.name} admissionReviewVersions`);
      t.equal(webhook.timeoutSeconds, 10, `${webhook.name} timeoutSeconds`);
      t.equal(webhook.matchPolicy, 'Equivalent', `${webhook.name} matchPolicy`);
      t.same(
        webhook.namespaceSelector,
        {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['kube-system', NAMESPACE],
            },
          ],
        },
        `${webhook.name} leaves out kube-system and the release namespace`,
      );
      t.equal(
        webhook.clientConfig.service?.name,
        service.metadata.name,
        `${webhook.name} calls the Service`,
      );
      t.equal(
        webhook.clientConfig.service?.namespace,
        NAMESPACE,
        `${webhook.name} Service namespace`,
      );
      t.equal(webhook.clientConfig.service?.port, httpsPort.port, `${webhook.name} Service port`);
    }
  });

  t.test('namespaceSelector follows the exclusion values', async (t) => {
    const withoutRelease = await render(['webhook.excludeReleaseNamespace=false']);
    for (const webhook of webhooksOf(withoutRelease)) {
      t.same(
        webhook.namespaceSelector.matchExpressions?.[0]?.values,
        ['kube-system'],
        webhook.name,
      );
    }

    const nothingExcluded = await renderChart(helm, {
      namespace: NAMESPACE,
      set: ['webhook.excludeReleaseNamespace=false'],
      setJson: ['webhook.excludedNamespaces=[]'],
    });
    for (const webhook of webhooksOf(nothingExcluded)) {
      t.same(webhook.namespaceSelector, {}, `${webhook.name} has no NotIn with an empty list`);
    }

    const failurePolicy = await render([
      'webhook.failurePolicy=Ignore',
      'webhook.timeoutSeconds=5',
    ]);
    for (const webhook of webhooksOf(failurePolicy)) {
      t.equal(webhook.failurePolicy, 'Ignore', `${webhook.name} failurePolicy from values`);
      t.equal(webhook.timeoutSeconds, 5, `${webhook.name} timeoutSeconds from values`);
    }
  });

  t.test('deployment runs hardened pods', async (t) => {
    const manifests = await renderDefaults();
    const deployment = only(manifests, 'Deployment') as AnyObject;
    t.equal(deployment.spec.replicas, 2);

    const pod = podSpecOf(manifests);
    t.equal(pod.securityContext.runAsNonRoot, true, 'pod runAsNonRoot');
    t.ok(
      Number.isInteger(pod.securityContext.runAsUser) && pod.securityContext.runAsUser > 0,
      'pod numeric user',
    );
    t.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault', 'pod seccomp');

    t.equal(pod.containers.length, 1, 'one container');
    const container = pod.containers[0];
    const security = container.securityContext;
    t.equal(security.runAsNonRoot, true, 'container runAsNonRoot');
    t.ok(Number.isInteger(security.runAsUser) && security.runAsUser > 0, 'container numeric user');
    t.equal(security.readOnlyRootFilesystem, true, 'readOnlyRootFilesystem');
    t.equal(security.allowPrivilegeEscalation, false, 'allowPrivilegeEscalation');
    t.equal(security.privileged, false, 'privileged');
    t.same(security.capabilities, { drop: ['ALL'] }, 'all capabilities dropped');
    t.equal(security.seccompProfile.type, 'RuntimeDefault', 'container seccomp');

    for (const kind of ['requests', 'limits']) {
      t.ok(container.resources[kind]?.cpu, `cpu ${kind}`);
      t.ok(container.resources[kind]?.memory, `memory ${kind}`);
    }
  });

  t.test('deployment probes and flags match the server', async (t) => {
    const pod = podSpecOf(await renderDefaults());
    const container = pod.containers[0];

    const ports = Object.fromEntries(
      container.ports.map((port: AnyObject) => [port.name, port.containerPort]),
    );
    t.same(ports, { https: 8443, health: 8080 });
    t.same(container.livenessProbe.httpGet, { path: '/healthz', port: 'health' });
    t.same(container.readinessProbe.httpGet, { path: '/readyz', port: 'health' });

    t.equal(container.args[0], 'serve');
    for (const flag of [
      '--port=8443',
      '--health-port=8080',
      '--system-namespace=mif',
      '--log-level=info',
      '--tls-cert=/etc/odin-webhook/tls/tls.crt',
      '--tls-key=/etc/odin-webhook/tls/tls.key',
    ]) {
      t.ok(container.args.includes(flag), `args include ${flag}`);
    }
    t.notOk(
      container.args.some((arg: string) => arg.startsWith('--client-ca')),
      'no client CA by default',
    );

    const withFlags = podSpecOf(await render(['server.systemNamespace=odin', 'server.port=9443']));
    t.ok(
      withFlags.containers[0].args.includes('--system-namespace=odin'),
      'system namespace from values',
    );
    t.ok(withFlags.containers[0].args.includes('--port=9443'), 'port from values');
  });

  t.test('deployment mounts the TLS secret read-only', async (t) => {
    const manifests = await renderDefaults();
    const pod = podSpecOf(manifests);
    const container = pod.containers[0];

    const mount = container.volumeMounts.find((entry: AnyObject) => entry.name === 'tls');
    t.equal(mount.mountPath, '/etc/odin-webhook/tls');
    t.equal(mount.readOnly, true, 'TLS mount is read-only');
    t.notOk(mount.subPath, 'no subPath, so Secret updates reach the pod');

    const volume = pod.volumes.find((entry: AnyObject) => entry.name === 'tls');
    t.equal(volume.secret.secretName, only(manifests, 'Secret').metadata.name);

    const tmp = container.volumeMounts.find((entry: AnyObject) => entry.mountPath === '/tmp');
    t.ok(tmp, 'a writable /tmp beside the read-only root filesystem');
  });

  t.test('pods spread over nodes and survive drains', async (t) => {
    const manifests = await renderDefaults();
    const pod = podSpecOf(manifests);
    const selector = (only(manifests, 'Deployment') as AnyObject).spec.selector.matchLabels;

    const preferred = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    t.equal(preferred.length, 1);
    t.equal(preferred[0].podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
    t.same(preferred[0].podAffinityTerm.labelSelector.matchLabels, selector);

    const budget = only(manifests, 'PodDisruptionBudget') as AnyObject;
    t.equal(budget.spec.minAvailable, 1);
    t.same(budget.spec.selector.matchLabels, selector);

    const service = only(manifests, 'Service') as AnyObject;
    t.same(service.spec.selector, selector, 'Service selects the pods');
    const ports = Object.fromEntries(
      service.spec.ports.map((port: AnyObject) => [port.name, port]),
    );
    t.equal(ports.https.port, 443);
    t.equal(ports.https.targetPort, 'https');
    t.equal(ports.metrics.port, 8080);
    t.equal(ports.metrics.targetPort, 'health');

    const custom = podSpecOf(await render(['affinity.nodeAffinity.foo=bar']));
    t.same(
      custom.affinity,
      { nodeAffinity: { foo: 'bar' } },
      'affinity value replaces the default',
    );

    const noBudget = await render(['podDisruptionBudget.enabled=false']);
    t.notOk(kindsOf(noBudget).includes('PodDisruptionBudget'), 'budget can be turned off');
  });

  t.test('pod labels keep the selector', async (t) => {
    const manifests = await render([
      'podLabels.team=ml',
      'podLabels.app\\.kubernetes\\.io/name=other',
    ]);
    const deployment = only(manifests, 'Deployment') as AnyObject;
    const labels = deployment.spec.template.metadata.labels;
    t.equal(labels.team, 'ml', 'podLabels added');
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) {
      t.equal(labels[key], value, `${key} still matches the selector`);
    }
  });

  t.test('rbac grants only reads of the odin resources', async (t) => {
    const manifests = await renderDefaults();
    const role = only(manifests, 'ClusterRole') as AnyObject;
    t.equal(role.rules.length, 1, 'one rule');
    const [rule] = role.rules;
    t.same(rule.apiGroups, ['odin.moreh.io']);
    t.same([...rule.resources].sort(), ['inferenceservices', 'inferenceservicetemplates']);
    t.same([...rule.verbs].sort(), ['get', 'list', 'watch']);
    t.notOk(rule.resourceNames, 'no resourceNames');
    t.notOk(rule.nonResourceURLs, 'no nonResourceURLs');
    t.notOk(kindsOf(manifests).includes('Role'), 'no namespaced Role');

    const binding = only(manifests, 'ClusterRoleBinding') as AnyObject;
    const account = only(manifests, 'ServiceAccount');
    t.same(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    t.same(binding.subjects, [
      { kind: 'ServiceAccount', name: account.metadata.name, namespace: NAMESPACE },
    ]);
    t.equal(podSpecOf(manifests).serviceAccountName, account.metadata.name);
  });

  t.test('generated mode issues a certificate for the service', async (t) => {
    const manifests = await renderDefaults();
    t.same(
      kindsOf(manifests.filter((m) => m.kind !== 'CustomResourceDefinition')),
      [...IN_CLUSTER_KINDS, 'Secret'].sort(),
    );

    const secret = only(manifests, 'Secret') as AnyObject;
    t.equal(secret.type, 'kubernetes.io/tls');
    const decode = (key: string): string =>
      Buffer.from(secret.data[key], 'base64').toString('utf8');
    const ca = new X509Certificate(decode('ca.crt'));
    const certificate = new X509Certificate(decode('tls.crt'));

    t.ok(ca.ca, 'ca.crt is a CA');
    t.ok(certificate.verify(ca.publicKey), 'CA signed the serving certificate');
    t.ok(
      certificate.checkPrivateKey(createPrivateKey(decode('tls.key'))),
      'tls.key matches tls.crt',
    );
    t.match(certificate.subjectAltName ?? '', `DNS:${SERVICE_DNS_NAME}`);
    t.ok(
      new Date(certificate.validTo).getTime() > Date.now() + 3000 * 24 * 3600 * 1000,
      'valid for years',
    );

    for (const webhook of webhooksOf(manifests)) {
      t.equal(
        webhook.clientConfig.caBundle,
        secret.data['ca.crt'],
        `${webhook.name} trusts the generated CA`,
      );
    }
  });

  t.test('cert-manager mode injects the CA', async (t) => {
    const manifests = await render(['certificates.mode=certManager']);
    t.notOk(kindsOf(manifests).includes('Secret'), 'cert-manager writes the Secret');

    const serving = only(manifests, 'Certificate', `${RELEASE}-serving`) as AnyObject;
    const tlsVolume = podSpecOf(manifests).volumes.find((entry: AnyObject) => entry.name === 'tls');
    t.equal(serving.spec.secretName, tlsVolume.secret.secretName, 'pods mount the issued Secret');
    t.ok(serving.spec.dnsNames.includes(SERVICE_DNS_NAME), 'certificate names the Service');
    t.same(serving.spec.issuerRef, {
      name: `${RELEASE}-ca`,
      kind: 'Issuer',
      group: 'cert-manager.io',
    });

    const caCertificate = only(manifests, 'Certificate', `${RELEASE}-ca`) as AnyObject;
    t.equal(caCertificate.spec.isCA, true);
    t.same(only(manifests, 'Issuer', `${RELEASE}-selfsigned`).spec, { selfSigned: {} });
    t.same(only(manifests, 'Issuer', `${RELEASE}-ca`).spec, {
      ca: { secretName: caCertificate.spec.secretName },
    });

    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const annotations = only(manifests, kind).metadata.annotations ?? {};
      t.equal(
        annotations['cert-manager.io/inject-ca-from'],
        `${NAMESPACE}/${RELEASE}-serving`,
        kind,
      );
    }
    for (const webhook of webhooksOf(manifests)) {
      t.notOk(webhook.clientConfig.caBundle, `${webhook.name} leaves caBundle to cainjector`);
    }
  });

  t.test('cert-manager mode uses a given issuer', async (t) => {
    const manifests = await render([
      'certificates.mode=certManager',
      'certificates.certManager.issuerRef.name=cluster-ca',
      'certificates.certManager.issuerRef.kind=ClusterIssuer',
    ]);
    t.notOk(kindsOf(manifests).includes('Issuer'), 'no Issuer of its own');
    const serving = only(manifests, 'Certificate') as AnyObject;
    t.same(serving.spec.issuerRef, {
      name: 'cluster-ca',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
  });

  t.test('secret mode uses the given secret and bundle', async (t) => {
    const manifests = await render([
      'certificates.mode=secret',
      'certificates.secret.name=webhook-tls',
      'certificates.secret.caBundle=Y2EtYnVuZGxl',
    ]);
    t.same(
      kindsOf(manifests.filter((m) => m.kind !== 'CustomResourceDefinition')),
      [...IN_CLUSTER_KINDS].sort(),
    );
    const tlsVolume = podSpecOf(manifests).volumes.find((entry: AnyObject) => entry.name === 'tls');
    t.equal(tlsVolume.secret.secretName, 'webhook-tls');
    for (const webhook of webhooksOf(manifests)) {
      t.equal(webhook.clientConfig.caBundle, 'Y2EtYnVuZGxl', `${webhook.name} caBundle`);
    }
  });

  t.test('url mode points webhooks outside the cluster', async (t) => {
    const manifests = await render([
      'webhook.url=https://192.0.2.10:9443/',
      'webhook.caBundle=Y2E=',
    ]);
    const kinds = kindsOf(manifests.filter((m) => m.kind !== 'CustomResourceDefinition'));
    t.same(kinds, [
      'ClusterRole',
      'ClusterRoleBinding',
      'MutatingWebhookConfiguration',
      'ServiceAccount',
      'ValidatingWebhookConfiguration',
    ]);

    const urls = webhooksOf(manifests).map((webhook) => webhook.clientConfig.url);
    t.same(urls, [
      `https://192.0.2.10:9443${MUTATE_PATH}`,
      `https://192.0.2.10:9443${VALIDATE_SERVICE_PATH}`,
      `https://192.0.2.10:9443${VALIDATE_TEMPLATE_PATH}`,
    ]);
    for (const webhook of webhooksOf(manifests)) {
      t.notOk(webhook.clientConfig.service, `${webhook.name} has no service`);
      t.equal(webhook.clientConfig.caBundle, 'Y2E=', `${webhook.name} caBundle`);
      t.equal(webhook.failurePolicy, 'Fail', `${webhook.name} failurePolicy`);
    }
  });

  t.test('client CA secret turns on client verification', async (t) => {
    const pod = podSpecOf(await render(['server.clientCASecret=apiserver-client-ca']));
    const container = pod.containers[0];
    t.ok(container.args.includes('--client-ca=/etc/odin-webhook/client-ca/ca.crt'), 'flag set');
    const volume = pod.volumes.find((entry: AnyObject) => entry.name === 'client-ca');
    t.equal(volume.secret.secretName, 'apiserver-client-ca');
    const mount = container.volumeMounts.find((entry: AnyObject) => entry.name === 'client-ca');
    t.equal(mount.readOnly, true);
  });

  t.test('image digest replaces the tag', async (t) => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const tagged = podSpecOf(await renderDefaults());
    t.equal(tagged.containers[0].image, 'odin-webhook:0.1.0', 'appVersion is the default tag');
    const pinned = podSpecOf(await render([`image.digest=${digest}`]));
    t.equal(pinned.containers[0].image, `odin-webhook@${digest}`);
  });

  t.test('chart renders the generated CRDs', async (t) => {
    const expected = await countCrdFiles(CHART_DIR);
    const installed = crdsOf(await renderDefaults());
    t.equal(installed.length, expected, 'one object per document in files/crds');
    const names = installed.map((crd) => crd.metadata.name).sort();
    t.same(names, ['inferenceservices.odin.moreh.io', 'inferenceservicetemplates.odin.moreh.io']);
    for (const crd of installed) {
      t.equal(
        crd.metadata.annotations?.['helm.sh/resource-policy'],
        'keep',
        `${crd.metadata.name} is kept`,
      );
    }
    t.same(crdsOf(await render(['crds.install=false'])), [], 'crds.install=false leaves them out');
  });

  t.test('CRD text survives rendering', async (t) => {
    const chart = await mkdtemp(join(tmpdir(), 'odin-webhook-chart-'));
    t.teardown(() => rm(chart, { recursive: true, force: true }));
    await cp(CHART_DIR, chart, { recursive: true });
    const crdDirectory = join(chart, 'files', 'crds');
    await rm(crdDirectory, { recursive: true, force: true });
    await mkdir(crdDirectory, { recursive: true });
    await writeFile(join(crdDirectory, 'fixture.yaml'), FIXTURE_CRDS);

    const crds = crdsOf(await render([], chart)) as AnyObject[];
    t.equal(crds.length, 2, 'comment-only document skipped');
    const [first] = crds;
    t.equal(first.metadata.annotations['helm.sh/resource-policy'], 'keep');
    t.equal(
      first.metadata.annotations['example.com/source'],
      'fixture',
      'existing annotation kept',
    );
    t.equal(first.metadata.labels['app.kubernetes.io/instance'], RELEASE, 'release labels added');
    const properties = first.spec.versions[0].schema.openAPIV3Schema.properties;
    t.same(Object.keys(properties).sort(), ['n', 'on', 'y'], 'YAML 1.1 boolean words stay keys');
    t.equal(properties.n.maximum, 9007199254740991, 'large integer kept exact');
  });
}

/** Two CRDs whose schema keys a YAML 1.1 round trip would corrupt. */
const FIXTURE_CRDS = `# Comment-only document, as a generator header might write.
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  annotations:
    example.com/source: fixture
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            n: {type: integer, maximum: 9007199254740991}
            on: {type: string}
            y: {type: boolean}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Cluster
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;
