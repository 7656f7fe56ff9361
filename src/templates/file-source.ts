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

/** Reads the objects of the manifest files of a folder in file-name order, with the items of each `List`. */
export async function readYamlDocuments(directory: string): Promise<unknown[]> {
  const documents: unknown[] = [];
  await visitManifestFiles(directory, (fileDocuments, fileName) =>
    documents.push(...manifestObjects(fileDocuments, fileName)),
  );
  return documents;
}

const BYTE_ORDER_MARK = 0xfeff;

/** Text that starts with `{` or `[`, after any white space or a byte order mark, is taken for JSON. */
const JSON_START = /^\s*[[{]/;

/**
 * Describes a JSON.parse failure by its position. V8's own message can quote
 * a piece of the file, and manifests may carry secrets in `env`.
 */
function describeJsonError(error: unknown, offset: number): string {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message);
  if (position !== null) return `syntax error at position ${Number(position[1]) + offset}`;
  return message.startsWith('Unexpected end') ? 'the text ends inside a value' : 'syntax error';
}

/**
 * Parses a `.json` manifest with JSON.parse: the yaml package took about
 * 110 µs per 400-byte file, many times JSON.parse's cost, and JSON is what
 * `kubectl get -o json` and the apiserver write. Returns undefined for a
 * file that does not start like JSON, which the yaml package then parses.
 * NOTE: a key that appears twice in one JSON object keeps its last value,
 * where the yaml package rejects a YAML file with a duplicate key.
 */
function parseJsonDocument(text: string, fileName: string): unknown[] | undefined {
  if (!fileName.endsWith('.json') || !JSON_START.test(text)) return undefined;
  // JSON.parse rejects the byte order mark that some editors write first.
  const bom = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  let value: unknown;
  try {
    value = JSON.parse(bom === 1 ? text.slice(1) : text);
  } catch (error) {
    throw new Error(`${fileName}: invalid JSON: ${describeJsonError(error, bom)}`);
  }
  return value === null ? [] : [value];
}

/**
 * Returns the first line of a yaml package error. The lines after it quote
 * the file around the error, and manifests may carry secrets in `env`.
 */
function yamlErrorLine(error: { message: string }): string {
  return error.message.split('\n')[0].replace(/:$/, '');
}

/**
 * Parses the documents of a YAML text, or of a `.json` file's JSON text; a
 * syntax error names the file.
 */
export function parseYamlDocuments(text: string, fileName: string): unknown[] {
  const json = parseJsonDocument(text, fileName);
  if (json !== undefined) return json;
  const documents: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`${fileName}: invalid YAML: ${yamlErrorLine(document.errors[0])}`);
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // Such as too many aliases, which the yaml package reports only here.
      throw new Error(`${fileName}: invalid YAML: ${yamlErrorLine(error as Error)}`);
    }
    if (value !== null && value !== undefined) documents.push(value);
  }
  return documents;
}

/** Lists inside Lists are expanded to this depth. */
const MAX_LIST_DEPTH = 8;

/**
 * Returns the objects of a file's documents, with the items of a `List`
 * (what `kubectl get -o json` and `-o yaml` write for several objects) in
 * its place.
 */
export function manifestObjects(documents: readonly unknown[], fileName: string): unknown[] {
  const expand = (document: unknown, depth: number): unknown[] => {
    if (!isKind(document, 'List')) return [document];
    if (depth >= MAX_LIST_DEPTH) {
      throw new Error(`${fileName}: Lists nest deeper than ${MAX_LIST_DEPTH} levels`);
    }
    const items = (document as { items?: unknown }).items;
    if (items === undefined || items === null) return [];
    if (!Array.isArray(items)) throw new Error(`${fileName}: the items of a List must be a list`);
    return items.flatMap((item: unknown) => expand(item, depth + 1));
  };
  return documents.flatMap((document) => expand(document, 0));
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
  await visitManifestFiles(directory, (documents, fileName) => {
    for (const document of manifestObjects(documents, fileName)) {
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
  await visitManifestFiles(directory, (documents, fileName) => {
    for (const document of manifestObjects(documents, fileName)) {
      if (isKind(document, 'InferenceService')) index.put(document as InferenceService);
    }
  });
  return index;
}
