// Templates and services read from YAML files, for running without a
// cluster (`--templates-dir`, `--services-dir`) and for the `render` command.
// Every document of every .yaml/.yml file in the folder counts; documents of
// other kinds are skipped.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { MemoryServiceIndex, MemoryTemplateSource } from './memory-source.js';

export interface DirectoryOptions {
  /** Namespace for objects whose metadata names none. */
  defaultNamespace?: string;
}

/** Reads every YAML document in the files of a folder, in file-name order. */
export async function readYamlDocuments(directory: string): Promise<unknown[]> {
  const names = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const documents: unknown[] = [];
  for (const name of names) {
    documents.push(...parseYamlDocuments(await readFile(join(directory, name), 'utf8'), name));
  }
  return documents;
}

/** Parses a multi-document YAML text; a syntax error names the file. */
export function parseYamlDocuments(text: string, fileName: string): unknown[] {
  const documents: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`${fileName}: invalid YAML: ${document.errors[0].message}`);
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) documents.push(value);
  }
  return documents;
}

function isKind(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind;
}

/** Loads every InferenceServiceTemplate found in the YAML files of a folder. */
export async function loadTemplateDirectory(
  directory: string,
  options: DirectoryOptions = {},
): Promise<MemoryTemplateSource> {
  const source = new MemoryTemplateSource(options.defaultNamespace ?? 'mif');
  for (const document of await readYamlDocuments(directory)) {
    if (isKind(document, 'InferenceServiceTemplate')) {
      source.put(document as InferenceServiceTemplate);
    }
  }
  return source;
}

/** Loads every InferenceService found in the YAML files of a folder into an index. */
export async function loadServiceDirectory(
  directory: string,
  systemNamespace: string,
  templates: MemoryTemplateSource,
  options: DirectoryOptions = {},
): Promise<MemoryServiceIndex> {
  const index = new MemoryServiceIndex(
    systemNamespace,
    templates,
    options.defaultNamespace ?? 'default',
  );
  for (const document of await readYamlDocuments(directory)) {
    if (isKind(document, 'InferenceService')) index.put(document as InferenceService);
  }
  return index;
}
