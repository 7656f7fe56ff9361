// fast-check generators of pod template pairs for the comparison with Go.
// Names come from small sets so that base and patch items collide, and the
// patch side adds nulls and directives. One known nondeterminism of Go is
// avoided: a patch never adds and deletes the same finalizer at once.
import fc from 'fast-check';

type Json = Record<string, unknown>;
type Side = 'base' | 'patch';

const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined, freq: 2 });

/** Drops undefined fields so that records look like decoded JSON. */
function compact(record: Record<string, unknown>): Json {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Returns values that the patch side sometimes replaces by null, a deletion. */
function orNull<T>(arbitrary: fc.Arbitrary<T>, side: Side): fc.Arbitrary<T | null> {
  return side === 'patch'
    ? fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: fc.constant(null) })
    : arbitrary;
}

function record(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Json> {
  const optionalFields = Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, optional(value)]),
  );
  return fc.record(optionalFields).map(compact);
}

/**
 * Returns lists merged by `mergeKey`. On the patch side some items become
 * `$patch: delete` entries, a few lists carry `$patch: replace`, and rare
 * malformed items (no merge key, `$patch: merge`) make Go fail.
 */
function keyedList(item: fc.Arbitrary<Json>, mergeKey: string, side: Side): fc.Arbitrary<Json[]> {
  const list = fc.uniqueArray(item, { maxLength: 4, selector: (value) => value[mergeKey] });
  if (side === 'base') {
    return list;
  }
  const deletion = item.map((value) => ({ [mergeKey]: value[mergeKey], $patch: 'delete' }));
  return fc
    .tuple(list, fc.array(deletion, { maxLength: 1 }), fc.nat(99))
    .map(([items, deletions, roll]) => {
      const result = roll < 20 ? [...deletions, ...items] : [...items];
      if (roll >= 94) {
        result.push({ $patch: 'replace' });
      } else if (roll === 93) {
        result.push({ $patch: 'merge' });
      } else if (roll === 92 && result.length > 0) {
        const { [mergeKey]: _, ...withoutKey } = result[0];
        result[0] = withoutKey;
      }
      return result;
    });
}

const quantity = fc.oneof(fc.constantFrom('1', '2', '500m', '8Gi'), fc.integer({ min: 1, max: 4 }));

function resources(side: Side): fc.Arbitrary<Json> {
  const amounts = fc.dictionary(
    fc.constantFrom('cpu', 'memory', 'amd.com/gpu'),
    orNull(quantity, side),
    {
      maxKeys: 3,
    },
  );
  return record({ limits: amounts, requests: amounts });
}

function envVar(side: Side): fc.Arbitrary<Json> {
  return fc
    .record({
      name: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
      value: optional(orNull(fc.constantFrom('1', '2', 'x'), side)),
      valueFrom: optional(fc.constant({ fieldRef: { fieldPath: 'status.podIP' } })),
    })
    .map(compact);
}

function container(side: Side): fc.Arbitrary<Json> {
  return fc
    .record({
      name: fc.constantFrom('main', 'side', 'init', 'debug'),
      image: optional(orNull(fc.constantFrom('vllm:1', 'vllm:2', 'proxy:1'), side)),
      args: optional(fc.array(fc.constantFrom('--a', '--b', '--c'), { maxLength: 3 })),
      env: optional(keyedList(envVar(side), 'name', side)),
      ports: optional(
        keyedList(
          record({ name: fc.constantFrom('http', 'metrics'), protocol: fc.constant('TCP') }).chain(
            (port) =>
              fc
                .constantFrom(8000, 8001, 9090)
                .map((containerPort) => ({ ...port, containerPort })),
          ),
          'containerPort',
          side,
        ),
      ),
      volumeMounts: optional(
        keyedList(
          fc.record({
            name: fc.constantFrom('shm', 'models'),
            mountPath: fc.constantFrom('/dev/shm', '/models', '/cache'),
          }),
          'mountPath',
          side,
        ),
      ),
      resources: optional(resources(side)),
    })
    .map(compact);
}

function volume(side: Side): fc.Arbitrary<Json> {
  const source = fc.oneof(
    fc.record({
      emptyDir: record({ medium: fc.constant('Memory'), sizeLimit: fc.constantFrom('1Gi', '8Gi') }),
    }),
    fc.record({ hostPath: fc.record({ path: fc.constantFrom('/a', '/b') }) }),
    fc.record({ configMap: fc.record({ name: fc.constantFrom('cm1', 'cm2') }) }),
  );
  return fc
    .tuple(fc.constantFrom('shm', 'models', 'cache'), source, fc.nat(19))
    .map(([name, sourceFields, roll]) => {
      const item: Json = { name, ...sourceFields };
      // Half the patch items list their keys in $retainKeys, and one in ten of
      // those leaves out the volume source, which Go rejects.
      if (side === 'patch' && roll < 10) {
        item.$retainKeys = roll === 0 ? ['name'] : Object.keys(item);
      }
      return item;
    });
}

function podSpec(side: Side): fc.Arbitrary<Json> {
  return record({
    containers: keyedList(container(side), 'name', side),
    initContainers: keyedList(container(side), 'name', side),
    volumes: keyedList(volume(side), 'name', side),
    imagePullSecrets: keyedList(
      fc.record({ name: fc.constantFrom('r1', 'r2', 'r3') }),
      'name',
      side,
    ),
    topologySpreadConstraints: keyedList(
      fc.record({
        topologyKey: fc.constantFrom('zone', 'host'),
        maxSkew: fc.integer({ min: 1, max: 3 }),
      }),
      'topologyKey',
      side,
    ),
    tolerations: fc.array(
      fc.record({ key: fc.constantFrom('gpu', 'dedicated'), operator: fc.constant('Exists') }),
      {
        maxLength: 2,
      },
    ),
    nodeSelector: fc.dictionary(
      fc.constantFrom('vendor', 'model', 'zone'),
      orNull(fc.constantFrom('amd', 'mi300x', 'a'), side),
      {
        maxKeys: 3,
      },
    ),
    securityContext: record({
      runAsUser: orNull(fc.integer({ min: 0, max: 2000 }), side),
      fsGroup: fc.constant(2000),
    }),
  });
}

function metadata(side: Side): fc.Arbitrary<Json> {
  const finalizers = fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3', 'f4'), { maxLength: 3 });
  return record({
    labels: fc.dictionary(fc.constantFrom('app', 'tier'), orNull(fc.constantFrom('x', 'y'), side), {
      maxKeys: 2,
    }),
    finalizers,
  });
}

/**
 * Adds the patch-only list directives to a generated pod template patch. The
 * `$setElementOrder/containers` list follows the permutation `order`, and the
 * patch items are sorted to match it except on one roll, where Go may reject
 * the order. `$deleteFromPrimitiveList/finalizers` lists values that the
 * patch does not add.
 */
function withListDirectives(patch: Json, order: string[], deletions: string[], roll: number): Json {
  const spec = patch.spec as Json | undefined;
  if (spec !== undefined && Array.isArray(spec.containers) && roll % 4 === 0) {
    const items = spec.containers as Json[];
    const special = items.filter((item) => item.$patch !== undefined);
    const plain = items.filter((item) => item.$patch === undefined);
    if (roll !== 8) {
      plain.sort((a, b) => order.indexOf(a.name as string) - order.indexOf(b.name as string));
    }
    const patched = new Set(plain.map((item) => item.name));
    spec.containers = [...special, ...plain];
    spec['$setElementOrder/containers'] = order
      .filter((name, i) => i % 2 === 0 || patched.has(name))
      .map((name) => ({ name }));
  }

  const meta = patch.metadata as Json | undefined;
  if (meta !== undefined && roll % 3 === 0) {
    const added = new Set((meta.finalizers as string[] | undefined) ?? []);
    meta['$deleteFromPrimitiveList/finalizers'] = deletions.filter((value) => !added.has(value));
  }
  return patch;
}

/** Pairs of base and patch PodTemplateSpecs. */
export function podTemplatePair(): fc.Arbitrary<{ original: Json; patch: Json }> {
  const template = (side: Side): fc.Arbitrary<Json> =>
    record({ metadata: metadata(side), spec: podSpec(side) });
  return fc
    .tuple(
      template('base'),
      template('patch'),
      fc.shuffledSubarray(['main', 'side', 'init', 'debug'], { minLength: 4 }),
      fc.subarray(['f1', 'f2', 'f3', 'f4']),
      fc.nat(11),
    )
    .map(([original, patch, order, deletions, roll]) => ({
      original,
      patch: withListDirectives(patch, order, deletions, roll),
    }));
}

/** Pairs of InferenceServiceSpecs with pod templates and Odin fields. */
export function specPair(): fc.Arbitrary<{ original: Json; patch: Json }> {
  const odinFields = (side: Side): Record<string, fc.Arbitrary<unknown>> => ({
    framework: orNull(fc.constantFrom('vllm', 'sglang'), side),
    model: record({ name: fc.constantFrom('m1', 'm2') }),
    parallelism: record({
      data: orNull(fc.integer({ min: 1, max: 8 }), side),
      dataLocal: fc.integer({ min: 1, max: 8 }),
      tensor: fc.integer({ min: 1, max: 4 }),
      expert: fc.boolean(),
    }),
    service: record({ target: fc.constantFrom('leader', 'workers', 'auto') }),
    templateRefs: fc.array(fc.record({ name: fc.constantFrom('vllm', 'preset') }), {
      maxLength: 2,
    }),
    replicas: fc.integer({ min: 0, max: 3 }),
  });
  const spec = (side: Side): fc.Arbitrary<Json> =>
    record({
      ...odinFields(side),
      template: record({ metadata: metadata(side), spec: podSpec(side) }),
      workerTemplate: record({ spec: podSpec(side) }),
    });
  return fc.record({ original: spec('base'), patch: spec('patch') });
}
