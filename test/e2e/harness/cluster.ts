// etcd and kube-apiserver on 127.0.0.1 with free ports, for one test run.
// The apiserver authenticates a static admin token (group system:masters)
// and authorizes with RBAC, so other identities can be added per test.
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import type { KubeBinaries } from './binaries.js';
import type { Pki } from './pki.js';
import { freePort, ProcessGroup, waitUntil } from './processes.js';

export interface Cluster {
  server: string;
  /** Admin kubeconfig, for kubectl and for the webhook. */
  kubeconfig: string;
}

/** Writes a kubeconfig that reaches `server` with a bearer token and the run's CA. */
export async function writeKubeconfig(
  file: string,
  server: string,
  caPem: string,
  token: string,
): Promise<void> {
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: e2e',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    '- name: e2e',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: e2e',
    '  context: {cluster: e2e, user: e2e, namespace: default}',
    'current-context: e2e',
    '',
  ].join('\n');
  await writeFile(file, text, { mode: 0o600 });
}

async function startEtcd(
  processes: ProcessGroup,
  etcd: string,
  directory: string,
): Promise<string> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const managed = processes.start('etcd', etcd, [
    '--name=e2e',
    `--data-dir=${join(directory, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=e2e=${peer}`,
    // A throwaway store: skipping fsync makes writes far faster on a shared disk.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ]);
  await waitUntil(
    'etcd /health',
    async () => {
      const response = await fetch(`${client}/health`);
      return response.ok && ((await response.json()) as { health?: string }).health === 'true';
    },
    60_000,
    managed,
  );
  return client;
}

function apiserverReady(server: string, caPem: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(
      `${server}/readyz`,
      { ca: caPem, headers: { Authorization: `Bearer ${token}` }, timeout: 5000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

/** Starts etcd and kube-apiserver; resolves once the apiserver reports ready. */
export async function startCluster(
  processes: ProcessGroup,
  binaries: KubeBinaries,
  pki: Pki,
  directory: string,
): Promise<Cluster> {
  const etcd = await startEtcd(processes, binaries.etcd, directory);
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const tokens = join(directory, 'tokens.csv');
  await writeFile(tokens, `${pki.adminToken},e2e-admin,e2e-admin-uid,"system:masters"\n`, {
    mode: 0o600,
  });

  const apiserver = processes.start('kube-apiserver', binaries.kubeApiserver, [
    `--etcd-servers=${etcd}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(directory, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${tokens}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    // Nothing runs controllers or endpoints here; these save CPU on a small machine.
    '--endpoint-reconciler-type=none',
    '--enable-priority-and-fairness=false',
    '--profiling=false',
  ]);
  await waitUntil(
    'kube-apiserver /readyz',
    () => apiserverReady(server, pki.caPem, pki.adminToken),
    180_000,
    apiserver,
  );

  const kubeconfig = join(directory, 'admin.kubeconfig');
  await writeKubeconfig(kubeconfig, server, pki.caPem, pki.adminToken);
  return { server, kubeconfig };
}
