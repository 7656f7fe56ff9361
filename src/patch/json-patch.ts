// RFC 6902 JSON Patch between an object and its mutated copy. fast-json-patch
// computes the operations and escapes each path segment (`~` as `~0`, then
// `/` as `~1`); this module keeps only what the apiserver needs: operations
// sorted by path, so a parent created by `add` always precedes its children.
import fastJsonPatch, { type Operation } from 'fast-json-patch';

export type PatchOperation = Operation;

/** Returns the operations that turn `original` into `mutated`, sorted by path. */
export function createPatch(original: unknown, mutated: unknown): PatchOperation[] {
  const operations = fastJsonPatch.compare(original as object, mutated as object);
  return operations
    .map((operation, position) => ({ operation, position }))
    .sort((a, b) => comparePaths(a.operation.path, b.operation.path) || a.position - b.position)
    .map(({ operation }) => operation);
}

function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Escapes one JSON Pointer segment: `~` first, then `/`. */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
