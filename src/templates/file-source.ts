// Templates and services read from manifest files, for running without a
// cluster (`--templates-dir`, `--services-dir`) and for the `render` command.
// Every document of every .yaml, .yml and .json file in the folder counts;
// documents of other kinds are skipped.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { MemoryServiceIndex, MemoryTemplateSource } from './memory-source.js';

export interface DirectoryOptions {
  /** Namespace for objects whose metadata names none. */
  defaultNamespace?: string;
}

/** The file names read from a folder. */
const MANIFEST_FILE = /\.(?:ya?ml|json)$/;

/** Files read between two yields to the event loop. */
const FILES_PER_BATCH = 256;

/**
 * Calls `visit` with the documents of each manifest file in a folder, in
 * file-name order, and stops at the first file that fails to read or parse.
 *
 * Files are read synchronously, in batches with a yield to the event loop
 * between them. Reading 10,000 files of 400 bytes took about 60 ms of CPU
 * time with readFileSync. With fs.promises.readFile or fs.readFile at 1 to 64
 * reads in flight it took 250 to 700 ms, because each asynchronous read takes
 * four thread-pool round trips (Node 20.20 on a 2-core VM). On one core,
 * start-up time is CPU time.
 */
export async function visitManifestFiles(
  directory: string,
  visit: (documents: unknown[], fileName: string) => void,
): Promise<void> {
  const names = (await readdir(directory)).filter((name) => MANIFEST_FILE.test(name)).sort();
  for (let start = 0; start < names.length; start += FILES_PER_BATCH) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const name of names.slice(start, start + FILES_PER_BATCH)) {
      visit(parseYamlDocuments(readFileSync(join(directory, name), 'utf8'), name), name);
    }
  }
}

/** Reads every document in the manifest files of a folder, in file-name order. */
export async function readYamlDocuments(directory: string): Promise<unknown[]> {
  const documents: unknown[] = [];
  await visitManifestFiles(directory, (fileDocuments) => documents.push(...fileDocuments));
  return documents;
}

/** Text that starts with `{` or `[`, after any white space, may be one JSON value. */
const JSON_START = /^\s*[[{]/;

/**
 * Parses a manifest that is one JSON value, as `kubectl get -o json` writes
 * it, with JSON.parse: YAML 1.2 reads the same value from such text, and the
 * yaml package took about 110 µs per 400-byte file, many times JSON.parse's
 * cost. Returns undefined for other text, which the yaml package parses and
 * reports errors in.
 * NOTE: a key that appears twice in one JSON object keeps its last value,
 * where the yaml package rejects the file.
 */
function parseJsonDocument(text: string): unknown[] | undefined {
  if (!JSON_START.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value === null ? [] : [value];
  } catch {
    return undefined;
  }
}

/** Parses a multi-document YAML text, or a JSON one; a syntax error names the file. */
export function parseYamlDocuments(text: string, fileName: string): unknown[] {
  const json = parseJsonDocument(text);
  if (json !== undefined) return json;
  const documents: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`${fileName}: invalid YAML: ${document.errors[0].message}`);
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // Such as too many aliases, which the yaml package reports only here.
      throw new Error(`${fileName}: invalid YAML: ${(error as Error).message}`);
    }
    if (value !== null && value !== undefined) documents.push(value);
  }
  return documents;
}

function isKind(value: unknown, kind: string): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind;
}

/** Loads every InferenceServiceTemplate found in the manifest files of a folder. */
export async function loadTemplateDirectory(
  directory: string,
  options: DirectoryOptions = {},
): Promise<MemoryTemplateSource> {
  const source = new MemoryTemplateSource(options.defaultNamespace ?? 'mif');
  await visitManifestFiles(directory, (documents) => {
    for (const document of documents) {
      if (isKind(document, 'InferenceServiceTemplate')) {
        source.put(document as InferenceServiceTemplate);
      }
    }
  });
  return source;
}

/** Loads every InferenceService found in the manifest files of a folder into an index. */
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
  // Each file's services go into the index as it is read, so the parsed
  // objects of the whole folder are never held at once.
  await visitManifestFiles(directory, (documents) => {
    for (const document of documents) {
      if (isKind(document, 'InferenceService')) index.put(document as InferenceService);
    }
  });
  return index;
}
