// Merge-keyed and replaced lists of a pod template, and its maps.
import { container, podCase, type ExpectedCase } from './case.js';

const main = (fields: Record<string, unknown> = {}): Record<string, unknown> =>
  container('main', { image: 'vllm:1', ...fields });

export const podListCases: ExpectedCase[] = [
  podCase(
    'containers merge by name and a new container goes first',
    { containers: [main()] },
    { containers: [container('sidecar', { image: 'proxy:1' })] },
    { expected: { containers: [container('sidecar', { image: 'proxy:1' }), main()] } },
  ),
  podCase(
    'containers merge fields of the same name',
    { containers: [main({ command: ['serve'] })] },
    { containers: [container('main', { image: 'vllm:2' })] },
    { expected: { containers: [main({ image: 'vllm:2', command: ['serve'] })] } },
  ),
  podCase(
    'patched containers take patch order and others slot in by base order',
    { containers: [container('a'), container('b'), container('c')] },
    { containers: [container('c', { image: 'x' }), container('a', { image: 'y' })] },
    {
      expected: {
        containers: [
          container('b'),
          container('c', { image: 'x' }),
          container('a', { image: 'y' }),
        ],
      },
    },
  ),
  podCase(
    'containers interleave base-only items by base order',
    { containers: [container('a'), container('b'), container('c'), container('d')] },
    { containers: [container('b', { image: 'x' }), container('new')] },
  ),
  podCase(
    'initContainers merge by name',
    { initContainers: [container('fetch', { image: 'curl' })] },
    { initContainers: [container('fetch', { args: ['-v'] }), container('warm', { image: 'w' })] },
    {
      expected: {
        initContainers: [
          container('fetch', { image: 'curl', args: ['-v'] }),
          container('warm', { image: 'w' }),
        ],
      },
    },
  ),
  podCase(
    'env merges by name with new variables first',
    {
      containers: [
        main({
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        }),
      ],
    },
    {
      containers: [
        container('main', {
          env: [
            { name: 'C', value: '3' },
            { name: 'A', value: '9' },
          ],
        }),
      ],
    },
    {
      expected: {
        containers: [
          main({
            env: [
              { name: 'C', value: '3' },
              { name: 'A', value: '9' },
              { name: 'B', value: '2' },
            ],
          }),
        ],
      },
    },
  ),
  podCase(
    'env value replaced by valueFrom keeps both fields',
    { containers: [main({ env: [{ name: 'TOKEN', value: 'x' }] })] },
    {
      containers: [
        container('main', {
          env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        }),
      ],
    },
  ),
  podCase(
    'env value deleted with null',
    { containers: [main({ env: [{ name: 'TOKEN', value: 'x' }] })] },
    {
      containers: [
        container('main', {
          env: [
            { name: 'TOKEN', value: null, valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          ],
        }),
      ],
    },
    {
      expected: {
        containers: [
          main({
            env: [{ name: 'TOKEN', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          }),
        ],
      },
    },
  ),
  podCase(
    'volumes merge by name',
    { volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }] },
    {
      volumes: [
        { name: 'models', persistentVolumeClaim: { claimName: 'models' } },
        { name: 'shm', emptyDir: { sizeLimit: '8Gi' } },
      ],
    },
    {
      expected: {
        volumes: [
          { name: 'models', persistentVolumeClaim: { claimName: 'models' } },
          { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } },
        ],
      },
    },
  ),
  podCase(
    'volume source change keeps the old source without retainKeys',
    { volumes: [{ name: 'data', emptyDir: {} }] },
    { volumes: [{ name: 'data', hostPath: { path: '/data' } }] },
    { expected: { volumes: [{ name: 'data', emptyDir: {}, hostPath: { path: '/data' } }] } },
  ),
  podCase(
    'volumeMounts merge by mountPath',
    { containers: [main({ volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }] })] },
    {
      containers: [
        container('main', {
          volumeMounts: [
            { name: 'models', mountPath: '/models', readOnly: true },
            { name: 'shm2', mountPath: '/dev/shm' },
          ],
        }),
      ],
    },
    {
      expected: {
        containers: [
          main({
            volumeMounts: [
              { name: 'models', mountPath: '/models', readOnly: true },
              { name: 'shm2', mountPath: '/dev/shm' },
            ],
          }),
        ],
      },
    },
  ),
  podCase(
    'volumeMounts with one name at two paths stay apart',
    { containers: [main({ volumeMounts: [{ name: 'cfg', mountPath: '/a' }] })] },
    { containers: [container('main', { volumeMounts: [{ name: 'cfg', mountPath: '/b' }] })] },
  ),
  podCase(
    'ports merge by containerPort',
    { containers: [main({ ports: [{ name: 'http', containerPort: 8000 }] })] },
    {
      containers: [
        container('main', {
          ports: [
            { containerPort: 8000, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090 },
          ],
        }),
      ],
    },
    {
      expected: {
        containers: [
          main({
            ports: [
              { name: 'http', containerPort: 8000, protocol: 'TCP' },
              { name: 'metrics', containerPort: 9090 },
            ],
          }),
        ],
      },
    },
  ),
  podCase(
    'ports with the same name but another containerPort stay apart',
    { containers: [main({ ports: [{ name: 'http', containerPort: 8000 }] })] },
    { containers: [container('main', { ports: [{ name: 'http', containerPort: 8080 }] })] },
  ),
  podCase(
    'volumeDevices merge by devicePath',
    { containers: [main({ volumeDevices: [{ name: 'a', devicePath: '/dev/a' }] })] },
    { containers: [container('main', { volumeDevices: [{ name: 'b', devicePath: '/dev/a' }] })] },
  ),
  podCase(
    'tolerations are replaced',
    { tolerations: [{ key: 'amd.com/gpu', operator: 'Exists' }] },
    { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infer' }] },
    { expected: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infer' }] } },
  ),
  podCase(
    'args and command are replaced',
    { containers: [main({ command: ['a', 'b'], args: ['--port', '8000', '--x'] })] },
    { containers: [container('main', { args: ['--y'] })] },
    { expected: { containers: [main({ command: ['a', 'b'], args: ['--y'] })] } },
  ),
  podCase(
    'an empty patch list replaces args with nothing',
    { containers: [main({ args: ['--x'] })] },
    { containers: [container('main', { args: [] })] },
    { expected: { containers: [main({ args: [] })] } },
  ),
  podCase(
    'imagePullSecrets merge by name',
    { imagePullSecrets: [{ name: 'registry' }] },
    { imagePullSecrets: [{ name: 'mirror' }, { name: 'registry' }] },
    { expected: { imagePullSecrets: [{ name: 'mirror' }, { name: 'registry' }] } },
  ),
  podCase(
    'topologySpreadConstraints merge by topologyKey',
    {
      topologySpreadConstraints: [
        { topologyKey: 'zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' },
        { topologyKey: 'host', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
      ],
    },
    { topologySpreadConstraints: [{ topologyKey: 'host', maxSkew: 2 }] },
    {
      expected: {
        topologySpreadConstraints: [
          { topologyKey: 'zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' },
          { topologyKey: 'host', maxSkew: 2, whenUnsatisfiable: 'ScheduleAnyway' },
        ],
      },
    },
  ),
  podCase(
    'hostAliases merge by ip',
    { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] },
    {
      hostAliases: [
        { ip: '10.0.0.1', hostnames: ['b'] },
        { ip: '10.0.0.2', hostnames: ['c'] },
      ],
    },
  ),
  podCase(
    'schedulingGates merge by name',
    { schedulingGates: [{ name: 'a' }, { name: 'b' }] },
    { schedulingGates: [{ name: 'c' }] },
  ),
  podCase(
    'resourceClaims merge by name',
    { resourceClaims: [{ name: 'gpu', resourceClaimName: 'x' }] },
    { resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'y' }] },
  ),
  podCase(
    'ephemeralContainers merge by name',
    { ephemeralContainers: [container('debug', { image: 'busybox' })] },
    { ephemeralContainers: [container('debug', { env: [{ name: 'A', value: '1' }] })] },
  ),
  podCase(
    'resources limits and requests merge key by key',
    {
      containers: [
        main({ resources: { limits: { cpu: '2', memory: '8Gi' }, requests: { cpu: 1 } } }),
      ],
    },
    { containers: [container('main', { resources: { limits: { 'amd.com/gpu': '1', cpu: 4 } } })] },
    {
      expected: {
        containers: [
          main({
            resources: {
              limits: { cpu: 4, memory: '8Gi', 'amd.com/gpu': '1' },
              requests: { cpu: 1 },
            },
          }),
        ],
      },
    },
  ),
  podCase(
    'resources quantity removed with null',
    { containers: [main({ resources: { limits: { cpu: '2', memory: '8Gi' } } })] },
    { containers: [container('main', { resources: { limits: { cpu: null } } })] },
    { expected: { containers: [main({ resources: { limits: { memory: '8Gi' } } })] } },
  ),
  podCase(
    'nodeSelector merges key by key',
    { nodeSelector: { vendor: 'amd', model: 'mi250' } },
    { nodeSelector: { model: 'mi300x', zone: 'a' } },
    { expected: { nodeSelector: { vendor: 'amd', model: 'mi300x', zone: 'a' } } },
  ),
  podCase(
    'nodeSelector entry deleted with null',
    { nodeSelector: { vendor: 'amd', model: 'mi250' } },
    { nodeSelector: { model: null } },
    { expected: { nodeSelector: { vendor: 'amd' } } },
  ),
  podCase(
    'securityContext merges as a struct',
    { securityContext: { runAsUser: 1000, fsGroup: 2000 } },
    { securityContext: { runAsUser: 0, runAsNonRoot: false } },
    { expected: { securityContext: { runAsUser: 0, fsGroup: 2000, runAsNonRoot: false } } },
  ),
  podCase(
    'affinity merges as a struct and replaces its term lists',
    {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }],
          },
        },
      },
    },
    {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'b', operator: 'Exists' }] }],
          },
        },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] },
      },
    },
  ),
  podCase(
    'probe port keeps an int-or-string value as written',
    { containers: [main({ readinessProbe: { httpGet: { path: '/health', port: 8000 } } })] },
    { containers: [container('main', { readinessProbe: { httpGet: { port: 'http' } } })] },
    {
      expected: {
        containers: [main({ readinessProbe: { httpGet: { path: '/health', port: 'http' } } })],
      },
    },
  ),
  podCase(
    'duplicate names in the base: the first one merges',
    { containers: [container('a', { image: '1' }), container('a', { image: '2' })] },
    { containers: [container('a', { args: ['x'] })] },
  ),
  podCase(
    'duplicate names in the patch merge twice',
    { containers: [container('a', { image: '1' })] },
    { containers: [container('a', { args: ['x'] }), container('a', { command: ['y'] })] },
  ),
  podCase(
    'duplicate new names in the patch become one item',
    { containers: [container('a')] },
    { containers: [container('b', { args: ['x'] }), container('b', { command: ['y'] })] },
  ),
  podCase(
    'a long keyed list keeps Go order',
    { containers: Array.from({ length: 45 }, (_, i) => container(`c${i}`)) },
    {
      containers: Array.from({ length: 30 }, (_, i) =>
        container(i % 3 === 0 ? `n${i}` : `c${(i * 7) % 45}`, { image: `i${i}` }),
      ),
    },
  ),
  {
    name: 'metadata labels and annotations merge key by key',
    schema: 'PodTemplateSpec',
    original: { metadata: { labels: { app: 'x', tier: 'a' }, annotations: { note: 'n' } } },
    patch: { metadata: { labels: { tier: 'b' }, annotations: { note: null, extra: 'e' } } },
    expected: { metadata: { labels: { app: 'x', tier: 'b' }, annotations: { extra: 'e' } } },
  },
  {
    name: 'finalizers merge as a set with new values first',
    schema: 'PodTemplateSpec',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c', 'a'] } },
    expected: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    name: 'finalizers with duplicates in the base',
    schema: 'PodTemplateSpec',
    original: { metadata: { finalizers: ['a', 'a', 'b'] } },
    patch: { metadata: { finalizers: ['c'] } },
  },
  {
    name: 'finalizers with duplicates on both sides',
    schema: 'PodTemplateSpec',
    original: { metadata: { finalizers: ['a', 'b', 'a', 'c', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'd', 'd', 'a'] } },
  },
  {
    name: 'finalizers past the spare capacity of the base',
    schema: 'PodTemplateSpec',
    original: { metadata: { finalizers: ['a', 'b', 'a', 'c'] } },
    patch: { metadata: { finalizers: ['e'] } },
  },
  {
    name: 'ownerReferences merge by uid',
    schema: 'PodTemplateSpec',
    original: {
      metadata: { ownerReferences: [{ uid: '1', name: 'a', kind: 'K', apiVersion: 'v1' }] },
    },
    patch: {
      metadata: {
        ownerReferences: [
          { uid: '1', name: 'b' },
          { uid: '2', name: 'c' },
        ],
      },
    },
  },
  {
    name: 'ports keyed by values of different types',
    schema: 'PodTemplateSpec',
    original: {
      spec: {
        containers: [
          container('main', {
            ports: [
              { containerPort: 80, name: 'number' },
              { containerPort: null, name: 'null' },
              { containerPort: true, name: 'bool' },
              { containerPort: 1.5, name: 'float' },
            ],
          }),
        ],
      },
    },
    patch: {
      spec: {
        containers: [
          container('main', {
            ports: [
              { containerPort: 1.5, protocol: 'UDP' },
              { containerPort: '80', name: 'string' },
              { containerPort: 'true', name: 'string' },
              { containerPort: null, protocol: 'TCP' },
              { containerPort: true, protocol: 'SCTP' },
              { containerPort: 80, protocol: 'TCP' },
            ],
          }),
        ],
      },
    },
  },
  {
    name: 'finalizers with zero and negative zero',
    schema: 'PodTemplateSpec',
    original: { metadata: { finalizers: [0, 1, 2.5] } },
    patch: { metadata: { finalizers: [-0, 3, 2.5] } },
  },
];
