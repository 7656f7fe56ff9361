// A strict RFC 6902 JSON Patch applier for checking the webhook's patches. It
// is separate from fast-json-patch, which the product uses to compute them, so
// a fault in that library cannot hide itself. Every pointer must be valid
// RFC 6901, with `~` only as `~0` or `~1`. Array indexes are decimal without
// leading zeros. `remove`, `replace` and the source of `move` and `copy` must
// exist, `add` needs an existing parent, and `test` compares deeply. Keys such
// as `__proto__` are ordinary own properties, as in JSON.
import { isDeepStrictEqual } from 'node:util';

export interface PatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export class PatchError extends Error {
  override name = 'PatchError';
}

type Container = Record<string, unknown> | unknown[];

const OPERATIONS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Splits a JSON Pointer into unescaped reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new PatchError(`pointer ${JSON.stringify(pointer)} must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw new PatchError(`pointer ${JSON.stringify(pointer)} has "~" not followed by 0 or 1`);
      }
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token))
    throw new PatchError(`array index ${JSON.stringify(token)} is not a number`);
  const index = Number(token);
  const max = allowEnd ? length : length - 1;
  if (index > max) throw new PatchError(`array index ${index} is out of range 0..${max}`);
  return index;
}

function resolve(document: unknown, tokens: readonly string[], pointer: string): unknown {
  let value = document;
  for (const token of tokens) {
    if (Array.isArray(value)) value = value[arrayIndex(token, value.length, false)];
    else if (isContainer(value) && Object.hasOwn(value, token))
      value = (value as Record<string, unknown>)[token];
    else throw new PatchError(`path ${JSON.stringify(pointer)} does not exist`);
  }
  return value;
}

function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function parentOf(document: unknown, pointer: string): { parent: Container; key: string } {
  const tokens = parsePointer(pointer);
  const key = tokens.pop() as string;
  const parent = resolve(document, tokens, pointer);
  if (!isContainer(parent))
    throw new PatchError(`parent of ${JSON.stringify(pointer)} is not an object or array`);
  return { parent, key };
}

function add(document: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, true), 0, value);
  else setOwn(parent, key, value);
  return document;
}

function remove(document: unknown, pointer: string): unknown {
  if (pointer === '') throw new PatchError('remove of the whole document');
  const { parent, key } = parentOf(document, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length, false), 1);
  else if (Object.hasOwn(parent, key)) delete parent[key];
  else throw new PatchError(`path ${JSON.stringify(pointer)} does not exist`);
  return document;
}

function applyOne(document: unknown, operation: PatchOperation): unknown {
  if (!OPERATIONS.has(operation.op))
    throw new PatchError(`unknown op ${JSON.stringify(operation.op)}`);
  if (typeof operation.path !== 'string') throw new PatchError('path must be a string');
  const needsValue =
    operation.op === 'add' || operation.op === 'replace' || operation.op === 'test';
  if (needsValue && !Object.hasOwn(operation, 'value'))
    throw new PatchError(`${operation.op} needs a value`);
  const value = structuredClone(operation.value);

  switch (operation.op) {
    case 'add':
      return add(document, operation.path, value);
    case 'remove':
      return remove(document, operation.path);
    case 'replace':
      resolve(document, parsePointer(operation.path), operation.path);
      return add(remove(document, operation.path), operation.path, value);
    case 'test':
      if (
        !isDeepStrictEqual(resolve(document, parsePointer(operation.path), operation.path), value)
      ) {
        throw new PatchError(`test at ${JSON.stringify(operation.path)} failed`);
      }
      return document;
    default: {
      const from = operation.from;
      if (typeof from !== 'string') throw new PatchError(`${operation.op} needs a from`);
      const moved = structuredClone(resolve(document, parsePointer(from), from));
      if (operation.op === 'move' && operation.path.startsWith(`${from}/`)) {
        throw new PatchError('move into its own child');
      }
      const base = operation.op === 'move' ? remove(document, from) : document;
      return add(base, operation.path, moved);
    }
  }
}

/** Applies `operations` to a copy of `document` and returns the result; throws PatchError. */
export function applyStrict(document: unknown, operations: readonly PatchOperation[]): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a patch must be a JSON array');
  let result = structuredClone(document);
  for (const operation of operations) result = applyOne(result, operation);
  return result;
}
