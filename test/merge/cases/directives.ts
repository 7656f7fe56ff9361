// Strategic merge directives: $patch on objects and list items, $retainKeys,
// $deleteFromPrimitiveList and $setElementOrder, with their errors.
import { container, podCase, type ExpectedCase } from './case.js';

const metadataCase = (
  name: string,
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  outcome: { expected?: Record<string, unknown>; error?: RegExp } = {},
): ExpectedCase => ({
  name,
  schema: 'PodTemplateSpec',
  original: { metadata: original },
  patch: { metadata: patch },
  ...(outcome.expected === undefined ? {} : { expected: { metadata: outcome.expected } }),
  ...(outcome.error === undefined ? {} : { error: outcome.error }),
});

export const directiveCases: ExpectedCase[] = [
  podCase(
    '$patch delete removes a container and replace resets resources',
    {
      containers: [
        container('main', {
          image: 'vllm',
          resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '16Gi' } },
        }),
        container('debug-sidecar', { image: 'debug' }),
      ],
      volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }],
    },
    {
      containers: [
        { name: 'debug-sidecar', $patch: 'delete' },
        container('main', { resources: { $patch: 'replace', limits: { 'amd.com/gpu': '1' } } }),
      ],
      initContainers: [{ name: 'warmup', $patch: 'delete' }],
    },
    {
      expected: {
        containers: [
          container('main', { image: 'vllm', resources: { limits: { 'amd.com/gpu': '1' } } }),
        ],
        volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }],
        initContainers: [],
      },
    },
  ),
  podCase(
    '$patch delete on a missing item changes nothing',
    { containers: [container('main')] },
    { containers: [{ name: 'ghost', $patch: 'delete' }] },
    { expected: { containers: [container('main')] } },
  ),
  podCase(
    '$patch delete removes every item with the key',
    {
      containers: [container('a', { image: '1' }), container('b'), container('a', { image: '2' })],
    },
    { containers: [{ name: 'a', $patch: 'delete' }] },
    { expected: { containers: [container('b')] } },
  ),
  podCase(
    '$patch delete without the merge key fails',
    { containers: [container('main')] },
    { containers: [{ $patch: 'delete', image: 'x' }] },
    { error: /merge key "name"/ },
  ),
  podCase(
    '$patch replace in a list keeps only the patch items',
    { containers: [container('a', { image: '1' }), container('b')] },
    { containers: [container('c', { image: '3' }), { $patch: 'replace' }] },
    { expected: { containers: [container('c', { image: '3' })] } },
  ),
  podCase(
    '$patch replace in a list with deletions',
    { containers: [container('a'), container('b'), container('c')] },
    { containers: [{ name: 'b', $patch: 'delete' }, { $patch: 'replace' }, container('d')] },
  ),
  podCase(
    '$patch merge in a list fails',
    { containers: [container('a')] },
    { containers: [{ $patch: 'merge' }] },
    { error: /\$patch: merge is not supported in a list/ },
  ),
  podCase(
    'unknown $patch value in a list fails',
    { containers: [container('a')] },
    { containers: [{ name: 'a', $patch: 'remove' }] },
    { error: /unsupported \$patch value "remove"/ },
  ),
  podCase(
    '$patch replace on an object replaces it',
    { securityContext: { runAsUser: 1000, fsGroup: 2000 } },
    { securityContext: { $patch: 'replace', runAsNonRoot: true } },
    { expected: { securityContext: { runAsNonRoot: true } } },
  ),
  podCase(
    '$patch delete on an object empties it',
    { securityContext: { runAsUser: 1000 } },
    { securityContext: { $patch: 'delete' } },
    { expected: { securityContext: {} } },
  ),
  podCase(
    '$patch on an object the base lacks drops the object',
    { containers: [container('main')] },
    { securityContext: { $patch: 'replace', runAsUser: 1 } },
    { expected: { containers: [container('main')] } },
  ),
  podCase(
    '$patch merge on an object fails',
    { securityContext: { runAsUser: 1000 } },
    { securityContext: { $patch: 'merge', runAsUser: 1 } },
    { error: /unsupported \$patch value "merge" on an object/ },
  ),
  podCase(
    'unknown $patch value on an object fails',
    { securityContext: { runAsUser: 1000 } },
    { securityContext: { $patch: 7 } },
    { error: /unsupported \$patch value 7/ },
  ),
  podCase(
    '$patch replace keeps nested nulls and directives as written',
    { securityContext: { runAsUser: 1000 } },
    { securityContext: { $patch: 'replace', seLinuxOptions: { user: null, $retainKeys: [] } } },
    { expected: { securityContext: { seLinuxOptions: { user: null, $retainKeys: [] } } } },
  ),
  podCase(
    'a new container keeps its nested directives',
    { containers: [container('main')] },
    { containers: [container('new', { env: [{ name: 'X', $patch: 'delete' }], image: null })] },
    {
      expected: {
        containers: [
          container('new', { env: [{ name: 'X', $patch: 'delete' }], image: null }),
          container('main'),
        ],
      },
    },
  ),
  podCase(
    'a new list drops items with $patch',
    { containers: [container('main')] },
    { initContainers: [container('a', { image: 'x' }), { name: 'b', $patch: 'delete' }] },
    {
      expected: {
        containers: [container('main')],
        initContainers: [container('a', { image: 'x' })],
      },
    },
  ),
  podCase(
    '$retainKeys clears volume sources that it does not list',
    { volumes: [{ name: 'data', emptyDir: {}, secret: { secretName: 's' } }] },
    { volumes: [{ name: 'data', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/d' } }] },
    { expected: { volumes: [{ name: 'data', hostPath: { path: '/d' } }] } },
  ),
  podCase(
    '$retainKeys on a plain struct clears unlisted fields',
    { securityContext: { runAsUser: 1, fsGroup: 2, runAsGroup: 3 } },
    { securityContext: { $retainKeys: ['fsGroup', 'runAsGroup'], runAsGroup: 4 } },
    { expected: { securityContext: { fsGroup: 2, runAsGroup: 4 } } },
  ),
  podCase(
    '$retainKeys that omits a patched field fails',
    { volumes: [{ name: 'data', emptyDir: {} }] },
    { volumes: [{ name: 'data', $retainKeys: ['name'], hostPath: { path: '/d' } }] },
    { error: /field "hostPath" is set in the patch, so \$retainKeys must list it/ },
  ),
  podCase(
    '$retainKeys that is not a list fails',
    { securityContext: { runAsUser: 1 } },
    { securityContext: { $retainKeys: 'runAsUser' } },
    { error: /\$retainKeys must be a list/ },
  ),
  podCase(
    '$retainKeys ignores null patch values',
    { securityContext: { runAsUser: 1, fsGroup: 2 } },
    { securityContext: { $retainKeys: ['runAsUser'], fsGroup: null } },
    { expected: { securityContext: { runAsUser: 1 } } },
  ),
  metadataCase(
    '$deleteFromPrimitiveList removes finalizers',
    { finalizers: ['a', 'b', 'c'] },
    { '$deleteFromPrimitiveList/finalizers': ['b', 'x'] },
    { expected: { finalizers: ['a', 'c'] } },
  ),
  metadataCase(
    '$deleteFromPrimitiveList with additions of other values',
    { finalizers: ['a', 'b', 'c'] },
    { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['d'] },
    { expected: { finalizers: ['d', 'b', 'c'] } },
  ),
  metadataCase(
    '$deleteFromPrimitiveList works on a list without merge strategy',
    { finalizers: ['a'] },
    { '$deleteFromPrimitiveList/finalizers': [] },
  ),
  podCase(
    '$deleteFromPrimitiveList removes args values',
    { containers: [container('main', { args: ['--a', '--b', '--a'] })] },
    { containers: [container('main', { '$deleteFromPrimitiveList/args': ['--a'] })] },
    { expected: { containers: [container('main', { args: ['--b'] })] } },
  ),
  podCase(
    '$deleteFromPrimitiveList on a missing list changes nothing',
    { containers: [container('main')] },
    { containers: [container('main', { '$deleteFromPrimitiveList/args': ['--a'] })] },
    { expected: { containers: [container('main')] } },
  ),
  podCase(
    '$deleteFromPrimitiveList set to null deletes the list',
    { containers: [container('main', { args: ['--a'] })] },
    { containers: [container('main', { '$deleteFromPrimitiveList/args': null })] },
    { expected: { containers: [container('main')] } },
  ),
  podCase(
    '$deleteFromPrimitiveList without a field name fails',
    { containers: [container('main', { args: ['--a'] })] },
    { containers: [container('main', { $deleteFromPrimitiveListargs: ['--a'] })] },
    { error: /invalid directive key/ },
  ),
  podCase(
    '$deleteFromPrimitiveList with mixed item types fails',
    { containers: [container('main', { args: ['--a'] })] },
    { containers: [container('main', { '$deleteFromPrimitiveList/args': [1] })] },
    { error: /same type/ },
  ),
  podCase(
    '$setElementOrder orders merged containers',
    { containers: [container('a'), container('b'), container('c')] },
    {
      '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }],
      containers: [container('a', { image: 'x' })],
    },
    {
      expected: {
        containers: [container('c'), container('a', { image: 'x' }), container('b')],
      },
    },
  ),
  podCase(
    '$setElementOrder without the list reorders the base',
    { containers: [container('a'), container('b'), container('c')] },
    { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] },
  ),
  podCase(
    '$setElementOrder keeps base-only items by base order',
    { containers: [container('a'), container('b'), container('c'), container('d')] },
    {
      '$setElementOrder/containers': [{ name: 'd' }, { name: 'new' }],
      containers: [container('new')],
    },
  ),
  podCase(
    '$setElementOrder with a deletion and an addition',
    { containers: [container('a'), container('b'), container('c')] },
    {
      '$setElementOrder/containers': [{ name: 'c' }, { name: 'e' }],
      containers: [{ name: 'b', $patch: 'delete' }, container('e')],
    },
  ),
  podCase(
    '$setElementOrder after deletions reads the shifted base',
    {
      containers: [container('a'), container('b'), container('c'), container('d'), container('e')],
    },
    {
      '$setElementOrder/containers': [{ name: 'x' }, { name: 'y' }],
      containers: [{ name: 'a', $patch: 'delete' }, container('x'), container('y')],
    },
  ),
  podCase(
    '$setElementOrder when appends fill spare capacity',
    {
      containers: [container('a'), container('b'), container('c'), container('d'), container('e')],
    },
    {
      '$setElementOrder/containers': [{ name: 'z' }, { name: 'e' }, { name: 'y' }],
      containers: [
        { name: 'b', $patch: 'delete' },
        { name: 'c', $patch: 'delete' },
        container('z'),
        container('y'),
      ],
    },
  ),
  podCase(
    '$setElementOrder after several deletions including the last item',
    {
      containers: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => container(name)),
    },
    {
      '$setElementOrder/containers': [{ name: 'x' }, { name: 'c' }, { name: 'y' }],
      containers: [
        { name: 'f', $patch: 'delete' },
        { name: 'b', $patch: 'delete' },
        { name: 'f', $patch: 'delete' },
        { name: 'ghost', $patch: 'delete' },
        container('x'),
        container('y'),
      ],
    },
  ),
  podCase(
    '$setElementOrder after deletions past the spare capacity',
    {
      containers: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((name) => container(name)),
    },
    {
      '$setElementOrder/containers': [{ name: 'h' }, { name: 'p' }, { name: 'q' }, { name: 'a' }],
      containers: [{ name: 'c', $patch: 'delete' }, container('p'), container('q')],
    },
  ),
  podCase(
    '$setElementOrder for a new list',
    { containers: [container('main')] },
    {
      '$setElementOrder/initContainers': [{ name: 'b' }, { name: 'a' }],
      initContainers: [container('b'), container('a'), { name: 'z', $patch: 'delete' }],
    },
  ),
  podCase(
    '$setElementOrder on a replaced list orders the patch',
    { tolerations: [{ key: 'a' }] },
    { '$setElementOrder/tolerations': [{ key: 'b' }], tolerations: [{ key: 'b' }] },
  ),
  podCase(
    '$setElementOrder for args orders scalars',
    { containers: [container('main', { args: ['a', 'b', 'c'] })] },
    { containers: [container('main', { '$setElementOrder/args': ['c', 'a'] })] },
  ),
  podCase(
    '$setElementOrder that contradicts the patch fails',
    { containers: [container('a'), container('b')] },
    {
      '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
      containers: [container('b', { image: 'x' }), container('a', { image: 'y' })],
    },
    { error: /order/ },
  ),
  podCase(
    '$setElementOrder that is not a list fails',
    { containers: [container('a')] },
    { '$setElementOrder/containers': { name: 'a' } },
    { error: /must be a list/ },
  ),
  podCase(
    '$setElementOrder with empty lists fails',
    { containers: [] },
    { '$setElementOrder/containers': [] },
    { error: /no items/ },
  ),
  podCase(
    '$setElementOrder for an unknown field fails',
    { containers: [container('a')] },
    { '$setElementOrder/sidecars': [{ name: 'a' }] },
    { error: /unknown field "sidecars"/ },
  ),
  podCase(
    '$setElementOrder entries without the merge key fail',
    { containers: [container('a')] },
    { '$setElementOrder/containers': [{ image: 'a' }] },
    { error: /merge key "name"/ },
  ),
  metadataCase(
    '$setElementOrder orders finalizers',
    { finalizers: ['a', 'b', 'c'] },
    { '$setElementOrder/finalizers': ['c', 'd', 'a'], finalizers: ['d'] },
  ),
  metadataCase(
    '$setElementOrder with $deleteFromPrimitiveList',
    { finalizers: ['a', 'b', 'c'] },
    {
      '$setElementOrder/finalizers': ['c', 'a'],
      '$deleteFromPrimitiveList/finalizers': ['b'],
    },
  ),
];
