// The sources of templates and services for the webhooks: manifest files with
// --templates-dir (and --services-dir), else a watch on the cluster.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ServiceIndex, TemplateSource } from '../templates/source.js';
import type { ReadinessCheck } from './readiness.js';

export interface Sources {
  templates: TemplateSource;
  /** Absent when running from files without --services-dir. */
  services?: ServiceIndex;
  /** Checks for /readyz: each source has loaded its first full listing. */
  readinessChecks: ReadinessCheck[];
  stop(): Promise<void>;
}

function checksFor(templates: TemplateSource, services?: ServiceIndex): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [{ name: 'templates', isReady: () => templates.isReady() }];
  if (services !== undefined) checks.push({ name: 'services', isReady: () => services.isReady() });
  return checks;
}

/** Opens the sources that the configuration names. */
export async function openSources(config: Config, logger: Logger): Promise<Sources> {
  // Only the modules of the source in use are loaded.
  if (config.templatesDir !== undefined) {
    const { loadServiceDirectory, loadTemplateDirectory } =
      await import('../templates/file-source.js');
    // A template file without a namespace belongs to the system namespace.
    const templates = await loadTemplateDirectory(config.templatesDir, {
      defaultNamespace: config.systemNamespace,
    });
    const services =
      config.servicesDir === undefined
        ? undefined
        : await loadServiceDirectory(config.servicesDir, config.systemNamespace, templates);
    logger.info(
      { templatesDir: config.templatesDir, servicesDir: config.servicesDir },
      'serving templates from files',
    );
    return {
      templates,
      services,
      readinessChecks: checksFor(templates, services),
      stop: async () => undefined,
    };
  }

  const { startClusterSources } = await import('../cluster/sources.js');
  const cluster = await startClusterSources({
    kubeconfig: config.kubeconfig,
    systemNamespace: config.systemNamespace,
    logger,
  });
  return {
    templates: cluster.templates,
    services: cluster.services,
    readinessChecks: checksFor(cluster.templates, cluster.services),
    stop: () => cluster.stop(),
  };
}
