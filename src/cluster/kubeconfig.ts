// Finds the credentials for the apiserver: an explicit kubeconfig file, then
// the KUBECONFIG variable, then the pod's service account (in a cluster),
// then ~/.kube/config. No match is an error rather than client-node's own
// fallback to http://localhost:8080, which would only fail later and less clearly.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Loads a kubeconfig and checks that it names a cluster; throws with the fix when none is found. */
export async function loadKubeConfig(path?: string): Promise<KubeConfig> {
  // Imported on use: the client loads its HTTP stack and generated API at
  // import, which a run without a cluster does not need.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  const userConfig = join(homedir(), '.kube', 'config');
  let origin: string;

  if (path !== undefined && path !== '') {
    config.loadFromFile(path);
    origin = path;
  } else if (process.env.KUBECONFIG) {
    config.loadFromDefault();
    origin = `KUBECONFIG=${process.env.KUBECONFIG}`;
  } else if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    config.loadFromCluster();
    origin = 'the pod service account';
  } else if (existsSync(userConfig)) {
    config.loadFromFile(userConfig);
    origin = userConfig;
  } else {
    throw new Error(
      'no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or run in a pod with a service account token',
    );
  }

  if (!config.getCurrentCluster()) {
    throw new Error(
      `kubeconfig from ${origin} has no current context with a cluster; set current-context`,
    );
  }
  return config;
}
