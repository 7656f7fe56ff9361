// RFC 6902 JSON Patch between an object and its mutated copy. fast-json-patch
// computes the operations and escapes each path segment (`~` as `~0`, then
// `/` as `~1`). Its order is kept as it is: it adds a missing parent whole
// before anything below it, and removes list items from the highest index
// down, so re-sorting the operations by path would make them unappliable.
import fastJsonPatch, { type Operation } from 'fast-json-patch';

export type PatchOperation = Operation;

/** Returns the operations that turn `original` into `mutated`, in the order they apply. */
export function createPatch(original: unknown, mutated: unknown): PatchOperation[] {
  return fastJsonPatch.compare(original as object, mutated as object);
}
