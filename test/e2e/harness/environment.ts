// One end-to-end environment: etcd, kube-apiserver, the generated CRDs, the
// webhook and its configurations, all on 127.0.0.1 and torn down by the
// test's teardown, also when a step fails. Logs of every process stay in the
// run's folder when a test failed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { KubeBinaries } from './binaries.js';
import { startCluster } from './cluster.js';
import { kubectlFor, mustKubectl, type Kubectl } from './kubectl.js';
import { createPki, type Pki } from './pki.js';
import { ProcessGroup, waitUntil } from './processes.js';
import { REPOSITORY, startWebhook, webhookConfigurations } from './webhook.js';

export const SYSTEM_NAMESPACE = 'mif';
export const NAMESPACES = [SYSTEM_NAMESPACE, 'team-a', 'team-b', 'team-c'];
export const CRD_DIRECTORY = join(REPOSITORY, 'schemas', 'crds');

export interface Environment {
  kubectl: Kubectl;
  kubeconfig: string;
  directory: string;
}

/** etcd and kube-apiserver with nothing installed, for tests that install the rest themselves. */
export interface BareCluster extends Environment {
  server: string;
  pki: Pki;
  processes: ProcessGroup;
}

/**
 * Starts etcd and kube-apiserver in a fresh folder; registers the teardown on
 * `t` before starting anything.
 */
export async function startBareCluster(t: Test, binaries: KubeBinaries): Promise<BareCluster> {
  const directory = await mkdtemp(join(tmpdir(), 'odin-e2e-'));
  const processes = new ProcessGroup(directory);
  t.teardown(async () => {
    await processes.stopAll();
    if (t.passing()) await rm(directory, { recursive: true, force: true });
    else t.comment(`end-to-end logs kept in ${directory}`);
  });

  const pki = await createPki(directory);
  const cluster = await startCluster(processes, binaries, pki, directory);
  const kubectl = kubectlFor(binaries.kubectl, cluster.kubeconfig);
  return {
    kubectl,
    kubeconfig: cluster.kubeconfig,
    directory,
    server: cluster.server,
    pki,
    processes,
  };
}

/** Brings everything up; registers the teardown on `t` before starting anything. */
export async function setUpEnvironment(t: Test, binaries: KubeBinaries): Promise<Environment> {
  const { kubectl, kubeconfig, directory, pki, processes } = await startBareCluster(t, binaries);

  await mustKubectl(kubectl, ['apply', '-f', CRD_DIRECTORY]);
  await waitForCrds(kubectl);
  for (const namespace of NAMESPACES)
    await mustKubectl(kubectl, ['create', 'namespace', namespace]);

  const webhook = await startWebhook(processes, {
    kubeconfig,
    pki,
    systemNamespace: SYSTEM_NAMESPACE,
  });
  await mustKubectl(kubectl, ['apply', '-f', '-'], webhookConfigurations(webhook, pki.caPem));
  await waitForWebhookCalls(kubectl);
  return { kubectl, kubeconfig, directory };
}

/** Waits up to 60 s until every CRD in the cluster reports Established. */
export function waitForCrds(kubectl: Kubectl): Promise<void> {
  return waitUntil('the CRDs to be established', () => crdsEstablished(kubectl), 60_000);
}

/**
 * Returns true once every CRD reports Established. Polling replaces `kubectl
 * wait`, which fails outright on a CRD that has no conditions yet.
 */
async function crdsEstablished(kubectl: Kubectl): Promise<boolean> {
  const list = JSON.parse(await mustKubectl(kubectl, ['get', 'crd', '-o', 'json'])) as {
    items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
  };
  const established = list.items.filter((crd) =>
    (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True'),
  );
  return list.items.length > 0 && established.length === list.items.length;
}

/**
 * Waits until the apiserver calls the webhook. It reads webhook
 * configurations through an informer, so they take effect a moment after
 * creation. The probe is a dry-run of a service whose template does not
 * exist, which only the validating webhook denies, naming the template.
 */
export async function waitForWebhookCalls(kubectl: Kubectl): Promise<void> {
  const probe = JSON.stringify({
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'webhook-probe', namespace: 'default' },
    spec: {
      templateRefs: [{ name: 'webhook-probe-missing' }],
      template: { spec: { containers: [{ name: 'main', image: 'registry.example.com/probe:1' }] } },
    },
  });
  let last = '';
  try {
    await waitUntil(
      'the apiserver to call the webhook',
      async () => {
        const result = await kubectl(['create', '--dry-run=server', '-f', '-'], probe);
        last = `exit ${result.code}: ${result.stderr}${result.stdout}`;
        return result.code !== 0 && result.stderr.includes('webhook-probe-missing');
      },
      30_000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last kubectl output: ${last}`);
  }
}
