// The strategic merge patch directives that act on one map: `$patch` on an
// object, `$retainKeys`, the `$deleteFromPrimitiveList/<field>` and
// `$setElementOrder/<field>` key prefixes, and the clean-up Go applies to
// values that it copies from the patch.
import { fail, type FieldPath } from './errors.js';
import { hashKey, isGoMap, type GoMap, type GoValue } from './go-value.js';

export const PATCH_DIRECTIVE = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/** Reports whether a map key is a directive, which Go's typed decoding drops as an unknown field. */
export function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX)
  );
}

/** Returns the field named after `<prefix>/`, or fails when the key has another shape. */
export function extractDirectiveField(key: string, prefix: string, path: FieldPath): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    fail(path, `invalid directive key "${key}": it must have the form "${prefix}/<field>"`);
  }
  return key.slice(slash + 1);
}

/**
 * Applies `$patch` on an object: `replace` takes the patch map without the
 * directive (its nested values as written), `delete` yields an empty map.
 */
export function applyMapPatchDirective(directive: GoValue, patch: GoMap, path: FieldPath): GoMap {
  if (directive === 'replace') {
    patch.delete(PATCH_DIRECTIVE);
    return patch;
  }
  if (directive === 'delete') {
    return new Map();
  }
  fail(
    path,
    `unsupported $patch value ${JSON.stringify(directive)} on an object: supported values are "replace" and "delete"`,
  );
}

/**
 * Applies `$retainKeys`: every key that the patch sets must be listed, and the
 * original keeps only the listed keys.
 */
export function applyRetainKeys(original: GoMap, patch: GoMap, path: FieldPath): void {
  if (!patch.has(RETAIN_KEYS_DIRECTIVE)) {
    return;
  }
  const retained = patch.get(RETAIN_KEYS_DIRECTIVE) as GoValue;
  patch.delete(RETAIN_KEYS_DIRECTIVE);
  if (!Array.isArray(retained)) {
    fail(path, '$retainKeys must be a list of field names');
  }

  const retainedKeys = new Set(retained.map((name) => hashKey(name, path)));
  const isRetained = (key: string): boolean => retainedKeys.has(hashKey(key, path));
  for (const [key, value] of patch) {
    const isListDirective =
      key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX);
    if (value !== null && !isListDirective && !isRetained(key)) {
      fail(path, `field "${key}" is set in the patch, so $retainKeys must list it`);
    }
  }

  for (const key of [...original.keys()]) {
    if (!isRetained(key)) {
      original.delete(key);
    }
  }
}

/**
 * Removes every map that carries `$patch` from a patch value, as Go does
 * before it copies a value that the original lacks. Returns undefined when
 * the value itself carries `$patch`. Other directive keys stay, as in Go.
 */
export function removeDirectives(value: GoValue): GoValue | undefined {
  if (isGoMap(value)) {
    if (value.has(PATCH_DIRECTIVE)) {
      return undefined;
    }
    for (const [key, child] of [...value]) {
      const cleaned = removeDirectives(child);
      if (cleaned === undefined) {
        value.delete(key);
      } else {
        value.set(key, cleaned);
      }
    }
    return value;
  }
  if (Array.isArray(value)) {
    const cleaned: GoValue[] = [];
    for (const item of value) {
      const cleanedItem = removeDirectives(item);
      if (cleanedItem !== undefined) {
        cleaned.push(cleanedItem);
      }
    }
    return cleaned;
  }
  return value;
}

/** Deletes every null map value inside a patch value, as Go does before copying it. */
export function discardNullValues(value: GoValue): void {
  if (isGoMap(value)) {
    for (const [key, child] of [...value]) {
      if (child === null) {
        value.delete(key);
      } else {
        discardNullValues(child);
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach(discardNullValues);
  }
}
