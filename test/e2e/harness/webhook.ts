// The webhook under test, run as production runs it (`node dist/src/cli.js
// serve`), and the Mutating/ValidatingWebhookConfigurations that send the
// apiserver's reviews to it on 127.0.0.1.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Pki } from './pki.js';
import { freePort, type ProcessGroup, waitUntil } from './processes.js';

export const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = `${REPOSITORY}dist/src/cli.js`;

export interface Webhook {
  url: string;
  healthUrl: string;
}

export interface WebhookOptions {
  kubeconfig: string;
  pki: Pki;
  systemNamespace: string;
  /** Port of the HTTPS server; a free one when absent. */
  port?: number;
}

/** Starts the compiled webhook and resolves once /readyz reports its caches synced. */
export async function startWebhook(
  processes: ProcessGroup,
  options: WebhookOptions,
): Promise<Webhook> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing; run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const healthPort = await freePort();
  const managed = processes.start('webhook', process.execPath, [
    CLI,
    'serve',
    `--kubeconfig=${options.kubeconfig}`,
    '--host=127.0.0.1',
    `--port=${port}`,
    `--health-port=${healthPort}`,
    `--tls-cert=${options.pki.webhookCert}`,
    `--tls-key=${options.pki.webhookKey}`,
    `--system-namespace=${options.systemNamespace}`,
    '--log-level=info',
  ]);
  const healthUrl = `http://127.0.0.1:${healthPort}`;
  await waitUntil(
    'webhook /readyz',
    async () => (await fetch(`${healthUrl}/readyz`)).ok,
    60_000,
    managed,
  );
  return { url: `https://127.0.0.1:${port}`, healthUrl };
}

const RULE_BASE = { apiGroups: ['odin.moreh.io'], apiVersions: ['v1alpha1'], scope: 'Namespaced' };

function webhookEntry(
  name: string,
  url: string,
  caBundle: string,
  rules: unknown[],
): Record<string, unknown> {
  return {
    name,
    clientConfig: { url, caBundle },
    rules,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    timeoutSeconds: 10,
  };
}

/**
 * Returns both webhook configurations as a kubectl-ready JSON List. The paths
 * and rules are those of the upstream Odin manifests; the mutating rule
 * includes `inferenceservices/status` so status writes get `renderedSpec`.
 */
export function webhookConfigurations(webhook: Webhook, caPem: string): string {
  const caBundle = Buffer.from(caPem).toString('base64');
  const mutating = {
    ...webhookEntry(
      'minferenceservice-v1alpha1.odin.moreh.io',
      `${webhook.url}/mutate-odin-moreh-io-v1alpha1-inferenceservice`,
      caBundle,
      [
        {
          ...RULE_BASE,
          operations: ['CREATE', 'UPDATE'],
          resources: ['inferenceservices', 'inferenceservices/status'],
        },
      ],
    ),
    reinvocationPolicy: 'IfNeeded',
  };
  const validateService = webhookEntry(
    'vinferenceservice-v1alpha1.odin.moreh.io',
    `${webhook.url}/validate-odin-moreh-io-v1alpha1-inferenceservice`,
    caBundle,
    [{ ...RULE_BASE, operations: ['CREATE', 'UPDATE'], resources: ['inferenceservices'] }],
  );
  const validateTemplate = webhookEntry(
    'vinferenceservicetemplate-v1alpha1.odin.moreh.io',
    `${webhook.url}/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate`,
    caBundle,
    [
      {
        ...RULE_BASE,
        operations: ['CREATE', 'UPDATE', 'DELETE'],
        resources: ['inferenceservicetemplates'],
      },
    ],
  );
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'odin-webhook-e2e' },
        webhooks: [mutating],
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'odin-webhook-e2e' },
        webhooks: [validateService, validateTemplate],
      },
    ],
  };
  return JSON.stringify(list, null, 2);
}
