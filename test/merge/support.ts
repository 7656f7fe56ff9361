// Helpers shared by the merge tests: fixture loading and the merge order the
// webhook uses (first template stripped of directives, then each next spec).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { JsonObject } from '../../src/admission/review.js';
import { mergeSpec, stripDirectives } from '../../src/merge/index.js';

/** Returns the `spec` of a YAML fixture in test/merge/fixtures. */
export function fixtureSpec(name: string): JsonObject {
  const text = readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
  return (parse(text) as { spec: JsonObject }).spec;
}

/** Merges specs in order: the first is the base, each next one an overlay. */
export function mergeAll(specs: readonly JsonObject[]): JsonObject {
  let merged = stripDirectives(specs[0]) as JsonObject;
  for (const overlay of specs.slice(1)) {
    merged = mergeSpec(merged, overlay);
  }
  return merged;
}

/** Returns a spec whose `template.spec` is `podSpec`. */
export function withPodSpec(podSpec: JsonObject): JsonObject {
  return { template: { spec: podSpec } };
}

/** Returns `template.spec` of a merged spec. */
export function podSpecOf(spec: JsonObject): JsonObject {
  return (spec.template as { spec: JsonObject }).spec;
}

/** Returns the value at a dotted path with `[n]` indices, or undefined. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Returns the `name` of each item of a list of objects. */
export function names(list: unknown): unknown[] {
  return (list as { name?: unknown }[]).map((item) => item.name);
}
