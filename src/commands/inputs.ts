// The flags that the `render` and `validate` commands share, and the steps
// before their own work: parse the flags, read the input files and gather the
// templates to resolve against. Templates come from those files, a templates
// folder and, with --kubeconfig, the cluster.
import { parseArgs } from 'node:util';
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { ApiClient } from '../cluster/api-client.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { fetchReferencedTemplates } from '../cluster/template-fetch.js';
import { namespaceOf } from '../inferenceservice/render.js';
import { loadTemplateDirectory } from '../templates/file-source.js';
import { MemoryTemplateSource } from '../templates/memory-source.js';
import type { TemplateSource } from '../templates/source.js';
import { UsageError, type CommandIo } from './command.js';
import { checkNamespaces, readInputs, type Inputs } from './input-files.js';

export const COMMON_OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  'templates-dir': { type: 'string' },
  kubeconfig: { type: 'string' },
  'system-namespace': { type: 'string', default: 'mif' },
  namespace: { type: 'string', short: 'n' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_HELP = `  -f, --filename FILE      YAML or JSON file, folder, or - for stdin; repeatable
  --templates-dir DIR      also resolve templates from the YAML or JSON files in DIR
                           (those without a namespace count as the system namespace)
  --kubeconfig PATH        also read referenced templates from the cluster, with
                           that kubeconfig's credentials (needs get on templates)
  --system-namespace NAME  namespace searched after the service's own (default mif)
  -n, --namespace NAME     namespace of objects that name none (default "default")
  -h, --help               print this help`;

export interface PreparedInputs {
  files: string[];
  inputs: Inputs;
  templates: TemplateSource;
  systemNamespace: string;
}

/** Parses the common flags, reads the input files and gathers the templates; undefined after --help. */
export async function prepareInputs(
  argv: string[],
  usage: string,
  io: CommandIo,
): Promise<PreparedInputs | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: COMMON_OPTIONS,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(usage);
    return undefined;
  }

  const files = [...(values.filename ?? []), ...positionals];
  const systemNamespace = values['system-namespace'];
  const inputs = await readInputs(files, values.namespace ?? 'default', io);
  checkNamespaces(inputs, values.namespace);
  const templates = await buildTemplateSource(inputs, {
    templatesDir: values['templates-dir'],
    kubeconfig: values.kubeconfig,
    systemNamespace,
  });
  return { files, inputs, templates, systemNamespace };
}

export interface SourceOptions {
  templatesDir?: string;
  kubeconfig?: string;
  systemNamespace: string;
}

/**
 * Returns the templates to resolve against. A template is looked up in the
 * input files first, then the templates folder, then the cluster, so a local
 * copy overrides what is installed.
 */
export async function buildTemplateSource(
  inputs: Inputs,
  options: SourceOptions,
): Promise<TemplateSource> {
  const fromFiles = new MemoryTemplateSource(options.systemNamespace);
  for (const { object } of inputs.templates) fromFiles.put(object as InferenceServiceTemplate);
  const layers: TemplateSource[] = [fromFiles];

  if (options.templatesDir !== undefined) {
    try {
      layers.push(
        await loadTemplateDirectory(options.templatesDir, {
          defaultNamespace: options.systemNamespace,
        }),
      );
    } catch (error) {
      throw new UsageError(`cannot read --templates-dir ${options.templatesDir}: ${String(error)}`);
    }
  }

  if (options.kubeconfig !== undefined) {
    layers.push(await fetchFromCluster(inputs, options.kubeconfig, options.systemNamespace));
  }

  return {
    getTemplate: (namespace, name) => {
      for (const layer of layers) {
        const template = layer.getTemplate(namespace, name);
        if (template) return template;
      }
      return undefined;
    },
    isReady: () => true,
  };
}

/** Reads the templates the input services reference; any failure is an input error (exit 2). */
async function fetchFromCluster(
  inputs: Inputs,
  kubeconfig: string,
  systemNamespace: string,
): Promise<TemplateSource> {
  const services = inputs.services.map((input) => input.object as InferenceService);
  try {
    const client = new ApiClient(await loadKubeConfig(kubeconfig));
    return await fetchReferencedTemplates(
      client,
      services,
      (service) => namespaceOf(service),
      systemNamespace,
    );
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
