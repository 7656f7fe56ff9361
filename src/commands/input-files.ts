// Reads the InferenceServices and InferenceServiceTemplates that the commands
// check. An input is a file, a folder (its .yaml/.yml/.json files) or `-` for
// stdin. kubectl's `kind: List` is unwrapped, and documents of other kinds are
// counted and skipped.
import { readFile, stat } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { INFERENCE_SERVICE, INFERENCE_SERVICE_TEMPLATE } from '../api/types.js';
import {
  manifestObjects,
  parseYamlDocuments,
  readYamlDocuments,
} from '../templates/file-source.js';
import { UsageError, type CommandIo } from './command.js';

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
    if (file === '-') {
      return manifestObjects(
        parseYamlDocuments(await text(io.stdin ?? process.stdin), 'stdin'),
        'stdin',
      );
    }
    if ((await stat(file)).isDirectory()) return await readYamlDocuments(file);
    return manifestObjects(parseYamlDocuments(await readFile(file, 'utf8'), file), file);
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
