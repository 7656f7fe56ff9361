// Starts the cluster-backed template source and service index: one
// reflector per resource, across all namespaces. Starting never waits for the
// apiserver, so a webhook that comes up before it reports not ready and
// becomes ready once both first listings are stored.
import type { Logger } from 'pino';
import { API_GROUP, API_VERSION, type InferenceService } from '../api/types.js';
import { ApiClient, ApiError, type ClusterCredentials } from './api-client.js';
import type { BackoffOptions } from './backoff.js';
import { loadKubeConfig } from './kubeconfig.js';
import { Reflector } from './reflector.js';
import { ClusterServiceIndex, decodeServiceReferences } from './service-index.js';
import { ClusterTemplateSource, decodeTemplate } from './template-cache.js';

const API_PATH = `/apis/${API_GROUP}/${API_VERSION}`;

export interface ClusterSourceOptions {
  /** Kubeconfig file; without it KUBECONFIG, the pod's service account or ~/.kube/config. */
  kubeconfig?: string;
  systemNamespace: string;
  logger: Logger;
  /** Credentials to use instead of loading a kubeconfig, for tests. */
  credentials?: ClusterCredentials;
  backoff?: BackoffOptions;
}

export interface ClusterSources {
  templates: ClusterTemplateSource;
  services: ClusterServiceIndex;
  /** Ends both watches; resolves when their loops have returned. */
  stop(): Promise<void>;
}

/**
 * Loads the kubeconfig and starts watching templates and services. Throws
 * only for a missing or unusable kubeconfig, never for an unreachable apiserver.
 */
export async function startClusterSources(options: ClusterSourceOptions): Promise<ClusterSources> {
  const credentials = options.credentials ?? (await loadKubeConfig(options.kubeconfig));
  const client = new ApiClient(credentials);
  const logger = options.logger.child({ component: 'cluster-cache' });

  const templates = new ClusterTemplateSource();
  const services = new ClusterServiceIndex(options.systemNamespace, templates, (namespace, name) =>
    fetchService(client, namespace, name),
  );

  const reflectors = [
    new Reflector({
      client,
      path: `${API_PATH}/inferenceservicetemplates`,
      resource: 'inferenceservicetemplates',
      decode: decodeTemplate,
      store: templates,
      logger,
      backoff: options.backoff,
    }),
    new Reflector({
      client,
      path: `${API_PATH}/inferenceservices`,
      resource: 'inferenceservices',
      decode: decodeServiceReferences,
      store: services,
      logger,
      backoff: options.backoff,
    }),
  ];
  for (const reflector of reflectors) reflector.start();
  logger.info(
    { server: credentials.getCurrentCluster()?.server },
    'watching templates and services',
  );

  return {
    templates,
    services,
    async stop(): Promise<void> {
      await Promise.all(reflectors.map((reflector) => reflector.stop()));
      logger.info('stopped watching templates and services');
    },
  };
}

/** GETs one InferenceService; undefined for 404. */
export async function fetchService(
  client: ApiClient,
  namespace: string,
  name: string,
): Promise<InferenceService | undefined> {
  const path = `${API_PATH}/namespaces/${encodeURIComponent(namespace)}/inferenceservices/${encodeURIComponent(name)}`;
  try {
    return (await client.getJson(path)) as InferenceService;
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 404) return undefined;
    throw error;
  }
}
