// Hostile and oversized input: prototype keys stay data, limits end the work
// with a MergeError that names a path, and nothing hangs or overflows.
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import {
  DEFAULT_MERGE_LIMITS,
  MergeError,
  mergeSpec,
  stripDirectives,
} from '../../src/merge/index.js';

const prototypeKeys = (): string[] => Reflect.ownKeys(Object.prototype).map(String).sort();

/** A JSON text with `__proto__` keys, parsed so that they are own properties as in a request. */
const hostileOverlay = (): JsonObject =>
  JSON.parse(
    '{"__proto__":{"polluted":"yes"},"template":{"__proto__":{"polluted":"yes"},"spec":{' +
      '"nodeSelector":{"constructor":{"prototype":{"polluted2":"yes"}},"__proto__":"x"},' +
      '"containers":[{"name":"main","image":"i","__proto__":{"polluted3":"yes"}}]}}}',
  ) as JsonObject;

t.test('prototype keys stay data', async (t) => {
  const before = prototypeKeys();
  const base: JsonObject = JSON.parse(
    '{"template":{"spec":{"nodeSelector":{"constructor":"c","toString":"s","hasOwnProperty":"h"},' +
      '"containers":[{"name":"main","image":"old"}]}}}',
  ) as JsonObject;

  const merged = mergeSpec(base, hostileOverlay());
  const stripped = stripDirectives(hostileOverlay()) as JsonObject;

  t.strictSame(prototypeKeys(), before, 'Object.prototype gains no keys');
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  t.equal(({} as Record<string, unknown>).polluted2, undefined);
  t.equal(({} as Record<string, unknown>).polluted3, undefined);
  t.equal(Object.getPrototypeOf(merged), Object.prototype, 'result keeps the plain prototype');
  t.ok(Object.hasOwn(merged, '__proto__'), '__proto__ is an own key of the result');
  t.strictSame(JSON.parse(JSON.stringify(merged.__proto__)), { polluted: 'yes' });
  t.ok(Object.hasOwn(stripped, '__proto__'), 'stripDirectives keeps __proto__ as an own key');

  const nodeSelector = (merged.template as { spec: { nodeSelector: JsonObject } }).spec
    .nodeSelector;
  t.equal(
    JSON.stringify(nodeSelector),
    '{"constructor":{"prototype":{"polluted2":"yes"}},"toString":"s","hasOwnProperty":"h",' +
      '"__proto__":"x"}',
  );
});

t.test('inherited key names become own data properties', async (t) => {
  const names = [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '__defineSetter__',
    'isPrototypeOf',
  ];
  const labelsText = names.map((name) => `"${name}":"v-${name}"`).join(',');
  const overlay = JSON.parse(`{"template":{"metadata":{"labels":{${labelsText}}}}}`) as JsonObject;

  const merged = mergeSpec({}, overlay);

  const labels = (merged.template as { metadata: { labels: JsonObject } }).metadata.labels;
  t.equal(Object.getPrototypeOf(labels), Object.prototype, 'labels keep the plain prototype');
  t.strictSame(Object.keys(labels), names, 'every key is an own key, in input order');
  for (const name of names) {
    t.strictSame(
      Object.getOwnPropertyDescriptor(labels, name),
      { value: `v-${name}`, writable: true, enumerable: true, configurable: true },
      `${name} is an own data property`,
    );
  }
});

t.test('holes of a sparse list become null', async (t) => {
  const args: unknown[] = [];
  args[1] = 'a';
  t.strictSame(stripDirectives({ args }), { args: [null, 'a'] });
});

t.test('inherited names are not read as base fields', async (t) => {
  const merged = mergeSpec({}, { template: { spec: { nodeSelector: { toString: 'a' } } } });
  t.strictSame(merged, { template: { spec: { nodeSelector: { toString: 'a' } } } });
});

/** Builds an object nested `depth` levels deep under `template.metadata.labels`, without recursion. */
function deepOverlay(depth: number): JsonObject {
  let value: JsonObject = { leaf: 'x' };
  for (let level = 0; level < depth; level++) {
    value = { next: value };
  }
  return { template: { metadata: { labels: value } } };
}

interface LimitCase {
  name: string;
  base: unknown;
  overlay: unknown;
  limits?: Partial<typeof DEFAULT_MERGE_LIMITS>;
  path: string | RegExp;
  message: RegExp;
}

const wideList = Array.from({ length: 200 }, (_, i) => ({ name: `c${i}` }));

const limitCases: LimitCase[] = [
  {
    name: 'rejects nesting past maxDepth',
    base: {},
    overlay: deepOverlay(DEFAULT_MERGE_LIMITS.maxDepth),
    path: `spec.template.metadata.labels${'.next'.repeat(DEFAULT_MERGE_LIMITS.maxDepth - 4)}`,
    message: /the overlay nests objects and lists deeper than 64 levels/,
  },
  {
    name: 'rejects a base over maxNodes',
    base: { template: { spec: { containers: wideList } } },
    overlay: {},
    limits: { maxNodes: 300 },
    path: /^spec\.template\.spec\.containers\[\d+\]$/,
    message: /the base has more than 300 values/,
  },
  {
    name: 'rejects a long list before reading it',
    base: {},
    overlay: { templateRefs: new Array(1_000_000).fill({ name: 'x' }) },
    path: 'spec.templateRefs',
    message: /the overlay has more than 100000 values/,
  },
  {
    name: 'rejects an input that refers to itself',
    base: {},
    overlay: (() => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      return { template: cyclic };
    })(),
    path: `spec.template${'.self'.repeat(DEFAULT_MERGE_LIMITS.maxDepth - 2)}`,
    message: /deeper than 64 levels/,
  },
  {
    name: 'rejects a value that is not JSON',
    base: {},
    overlay: { replicas: () => 1 },
    path: 'spec.replicas',
    message: /not JSON: function/,
  },
  {
    name: 'rejects a number that is not finite',
    base: { replicas: Number.NaN },
    overlay: {},
    path: 'spec.replicas',
    message: /not JSON: number/,
  },
  {
    name: 'rejects a number that is not finite inside a list item',
    base: {},
    overlay: { template: { spec: { containers: [{ name: 'main', args: ['x', Infinity] }] } } },
    path: 'spec.template.spec.containers[0].args[1]',
    message: /the overlay contains a value that is not JSON: number/,
  },
  {
    name: 'rejects a value that is not JSON inside a nested map',
    base: { template: { metadata: { labels: { app: 'a', broken: Symbol('s') } } } },
    overlay: {},
    path: 'spec.template.metadata.labels.broken',
    message: /the base contains a value that is not JSON: symbol/,
  },
  {
    name: 'rejects an undefined list item',
    base: {},
    overlay: { templateRefs: [undefined] },
    path: 'spec.templateRefs[0]',
    message: /not JSON: undefined/,
  },
  {
    name: 'rejects a base that is not an object',
    base: [],
    overlay: {},
    path: 'spec',
    message: /the base must be a JSON object/,
  },
  {
    name: 'reports deep merges past the call stack as a MergeError',
    base: {},
    overlay: deepOverlay(200_000),
    limits: { maxDepth: 1_000_000, maxNodes: 1_000_000 },
    path: 'spec',
    message: /nests too deeply to merge/,
  },
];

t.test('limits', async (t) => {
  for (const c of limitCases) {
    const run = (): JsonObject =>
      mergeSpec(c.base as JsonObject, c.overlay as JsonObject, { limits: c.limits });
    t.throws(run, MergeError, `${c.name}: raises MergeError`);
    t.throws(run, { path: c.path, message: c.message }, c.name);
  }
});

t.test('accepts input at the limits', async (t) => {
  const depth = DEFAULT_MERGE_LIMITS.maxDepth - 4;
  t.doesNotThrow(() => mergeSpec({}, deepOverlay(depth)), 'nesting of exactly maxDepth');
  const containers = Array.from({ length: 99 }, (_, i) => ({ name: `c${i}` }));
  t.doesNotThrow(
    () => mergeSpec({}, { template: { spec: { containers } } }, { limits: { maxNodes: 202 } }),
    'exactly maxNodes values',
  );
});

t.test('long keyed lists merge in bounded time', async (t) => {
  const count = 15_000;
  const base = {
    template: {
      spec: { containers: Array.from({ length: count }, (_, i) => ({ name: `c${i}` })) },
    },
  };
  const shuffled = (i: number): string => `c${(i * 7919) % count}`;
  const overlay = {
    template: {
      spec: {
        '$setElementOrder/containers': Array.from({ length: count }, (_, i) => ({
          name: shuffled(i),
        })),
        containers: Array.from({ length: count / 2 }, (_, i) => ({
          name: shuffled(2 * i),
          image: 'y',
        })),
      },
    },
  };
  const deletions = {
    template: {
      spec: {
        containers: Array.from({ length: count }, (_, i) => ({ name: `c${i}`, $patch: 'delete' })),
      },
    },
  };
  const started = performance.now();

  const ordered = mergeSpec(base, overlay);
  const emptied = mergeSpec(base, deletions);

  const containersOf = (spec: JsonObject): unknown[] =>
    (spec.template as { spec: { containers: unknown[] } }).spec.containers;
  t.equal(containersOf(ordered).length, count);
  t.equal(containersOf(emptied).length, 0);
  // A generous bound that a quadratic merge (about 10^9 steps here) misses.
  t.ok(performance.now() - started < 20_000, 'finishes within 20 seconds');
});
