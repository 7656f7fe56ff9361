// What the `render` and `validate` commands share: their flags, reading the
// objects of YAML files, and the templates to resolve against. An input is a
// file, a folder (its .yaml/.yml/.json files) or `-` for stdin, and kubectl's
// `kind: List` is unwrapped. Templates come from those files, a templates
// folder and, with --kubeconfig, the cluster.
import { readFile, stat } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { Writable } from 'node:stream';
import { formatFieldError, type FieldError } from '../admission/field-errors.js';
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { INFERENCE_SERVICE, INFERENCE_SERVICE_TEMPLATE } from '../api/types.js';
import { ApiClient } from '../cluster/api-client.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { fetchReferencedTemplates } from '../cluster/template-fetch.js';
import { namespaceOf } from '../inferenceservice/render.js';
import {
  loadTemplateDirectory,
  parseYamlDocuments,
  readYamlDocuments,
} from '../templates/file-source.js';
import { MemoryTemplateSource } from '../templates/memory-source.js';
import type { TemplateSource } from '../templates/source.js';

export const COMMON_OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  'templates-dir': { type: 'string' },
  kubeconfig: { type: 'string' },
  'system-namespace': { type: 'string', default: 'mif' },
  namespace: { type: 'string', short: 'n' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_HELP = `  -f, --filename FILE      YAML or JSON file, folder, or - for stdin; repeatable
  --templates-dir DIR      also resolve templates from the YAML files in DIR
                           (those without a namespace count as the system namespace)
  --kubeconfig PATH        also read referenced templates from the cluster, with
                           that kubeconfig's credentials (needs get on templates)
  --system-namespace NAME  namespace searched after the service's own (default mif)
  -n, --namespace NAME     namespace of objects that name none (default "default")
  -h, --help               print this help`;

export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  stdin?: NodeJS.ReadableStream;
}

/** A command line or input that cannot be used; the command prints it and exits with 2. */
export class UsageError extends Error {}

export interface InputObject {
  file: string;
  kind: string;
  object: InferenceService | InferenceServiceTemplate;
}

export interface Inputs {
  services: InputObject[];
  templates: InputObject[];
  /** Documents of other kinds, which the commands ignore. */
  skipped: number;
}

/** Reads every InferenceService and InferenceServiceTemplate in the files, in order. */
export async function readInputs(
  files: readonly string[],
  namespace: string,
  io: CommandIo,
): Promise<Inputs> {
  if (files.length === 0) throw new UsageError('no input: pass -f FILE (or -f - for stdin)');
  const inputs: Inputs = { services: [], templates: [], skipped: 0 };
  for (const file of files) {
    for (const document of flattenLists(await readDocuments(file, io))) {
      const kind = kindOf(document);
      if (kind !== INFERENCE_SERVICE && kind !== INFERENCE_SERVICE_TEMPLATE) {
        inputs.skipped += 1;
        continue;
      }
      const object = withNamespace(document as InferenceService, namespace);
      (kind === INFERENCE_SERVICE ? inputs.services : inputs.templates).push({
        file,
        kind,
        object,
      });
    }
  }
  return inputs;
}

async function readDocuments(file: string, io: CommandIo): Promise<unknown[]> {
  try {
    if (file === '-') return parseYamlDocuments(await text(io.stdin ?? process.stdin), 'stdin');
    if ((await stat(file)).isDirectory()) return await readYamlDocuments(file);
    return parseYamlDocuments(await readFile(file, 'utf8'), file);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function flattenLists(documents: unknown[]): unknown[] {
  return documents.flatMap((document) =>
    kindOf(document) === 'List' && Array.isArray((document as { items?: unknown }).items)
      ? ((document as { items: unknown[] }).items as unknown[])
      : [document],
  );
}

function kindOf(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const kind = (document as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : undefined;
}

/** Gives an object without a namespace the command's one, as kubectl does. */
function withNamespace<T extends InferenceService>(object: T, namespace: string): T {
  const metadata =
    typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {};
  const own = metadata.namespace;
  if (typeof own === 'string' && own !== '') return object;
  return { ...object, metadata: { ...metadata, namespace } };
}

/** Checks that no object names a namespace other than an explicit --namespace, as kubectl does. */
export function checkNamespaces(inputs: Inputs, explicit: string | undefined): void {
  if (explicit === undefined) return;
  for (const { file, kind, object } of [...inputs.services, ...inputs.templates]) {
    if (object.metadata?.namespace !== explicit) {
      throw new UsageError(
        `${file}: ${kind} "${object.metadata?.name}" is in namespace "${object.metadata?.namespace}", ` +
          `which does not match --namespace ${explicit}`,
      );
    }
  }
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
    const client = new ApiClient(await loadKubeConfig(options.kubeconfig));
    const services = inputs.services.map((input) => input.object as InferenceService);
    layers.push(
      await fetchReferencedTemplates(
        client,
        services,
        (service) => namespaceOf(service),
        options.systemNamespace,
      ),
    );
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

/** Returns `Kind "namespace/name"` for messages. */
export function describeObject(input: InputObject): string {
  const metadata = input.object.metadata;
  return `${input.kind} "${metadata?.namespace}/${metadata?.name ?? metadata?.generateName ?? ''}"`;
}

/** Writes a header line and one indented line per field error. */
export function writeFieldErrors(
  stream: Writable,
  header: string,
  errors: readonly FieldError[],
): void {
  stream.write(`${header}\n`);
  for (const error of errors) stream.write(`  - ${formatFieldError(error)}\n`);
}

export function writeWarnings(
  stream: Writable,
  subject: string,
  warnings: readonly string[],
): void {
  for (const warning of warnings) stream.write(`Warning: ${subject}: ${warning}\n`);
}
