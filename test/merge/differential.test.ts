// Compares the TypeScript strategic merge with Go's StrategicMergePatch from
// k8s.io/apimachinery v0.34.2 on hand-written and generated cases. Results
// must be the same JSON (map key order aside, list order exact), and a case
// that fails in Go must fail here. Needs the go toolchain; without it the
// suite is skipped, never passed.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { DEFAULT_MERGE_LIMITS } from '../../src/merge/index.js';
import { strategicMergePatch } from '../../src/merge/strategic-merge.js';
import { podTemplatePair, specPair } from './arbitraries.js';
import { editedPairs } from './mutations.js';
import { directiveCases } from './cases/directives.js';
import { podListCases } from './cases/pod-lists.js';
import { specFieldCases } from './cases/spec-fields.js';
import { buildOracle, oracleUnavailable, runOracle, type MergeCase } from './oracle.js';

const SEED = Number(process.env.MERGE_FUZZ_SEED ?? 20250101);
const GENERATED_POD_PAIRS = 600;
const GENERATED_SPEC_PAIRS = 200;

type Json = Record<string, unknown>;

interface Outcome {
  result?: unknown;
  error?: string;
}

function mergeHere(c: MergeCase): Outcome {
  try {
    const result = strategicMergePatch(c.original, c.patch, {
      schema: c.schema,
      limits: DEFAULT_MERGE_LIMITS,
      pathPrefix: '',
      clean: false,
    });
    return { result: JSON.parse(JSON.stringify(result)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Returns a copy with map keys sorted, so that comparisons ignore key order only. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(sorted, key, {
      value: sortKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
    });
  }
  return sorted;
}

/** Returns generated pairs, half of them with random edits that reach rarer paths. */
function generatedCases(): MergeCase[] {
  const samples = (
    schema: MergeCase['schema'],
    pairs: fc.Arbitrary<{ original: Json; patch: Json }>,
    count: number,
    seed: number,
  ): MergeCase[] =>
    fc
      .sample(pairs, { seed, numRuns: count })
      .map((pair, i) => ({ name: `${schema} pair ${seed}/${i}`, schema, ...pair }));
  return [
    ...samples('PodTemplateSpec', podTemplatePair(), GENERATED_POD_PAIRS, SEED),
    ...samples('InferenceServiceSpec', specPair(), GENERATED_SPEC_PAIRS, SEED + 1),
    ...samples('PodTemplateSpec', editedPairs(podTemplatePair()), GENERATED_POD_PAIRS, SEED + 2),
    ...samples('InferenceServiceSpec', editedPairs(specPair()), GENERATED_SPEC_PAIRS, SEED + 3),
  ];
}

const groups: Record<string, MergeCase[]> = {
  'pod lists': podListCases,
  directives: directiveCases,
  'spec fields': specFieldCases,
  generated: generatedCases(),
};

const unavailable = oracleUnavailable();
if (unavailable !== undefined) {
  t.test(
    'merge matches Go',
    { skip: `the comparison with Go needs Go: ${unavailable}` },
    async () => {},
  );
} else {
  // A build without Go's build cache compiles k8s.io/api, which took about two
  // minutes on a shared two-core machine, past the default file timeout.
  t.setTimeout(600_000);
  const binary = buildOracle();
  for (const [group, cases] of Object.entries(groups)) {
    const goOutcomes = runOracle(binary, cases);
    t.test(`${group} match Go`, async (t) => {
      cases.forEach((c, i) => {
        const expected = goOutcomes[i];
        const actual = mergeHere(c);
        const context = { original: c.original, patch: c.patch, go: expected, here: actual };
        if (expected.error !== undefined) {
          t.ok(actual.error !== undefined, `${c.name}: fails as in Go`, context);
        } else {
          const same = isDeepStrictEqual(sortKeys(actual.result), sortKeys(expected.result));
          t.ok(same, `${c.name}: same result as Go`, context);
        }
      });
    });
  }

  t.test('generated cases cover successes and failures', async (t) => {
    const outcomes = runOracle(binary, groups.generated);
    const failures = outcomes.filter((outcome) => outcome.error !== undefined).length;
    t.ok(failures > 100, `${failures} generated cases fail in Go`);
    t.ok(failures < outcomes.length / 4, 'most generated cases merge');
  });
}
