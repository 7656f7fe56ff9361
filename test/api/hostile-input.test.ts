// Input from any in-cluster client: keys that reach Object.prototype, deep
// nesting, huge lists and objects. Validation must report them as field
// errors, finish quickly, and leave the process untouched.
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import {
  validateInferenceService,
  validateInferenceServiceTemplate,
  validateSpecRules,
} from '../../src/api/index.js';
import { FieldPath } from '../../src/admission/field-errors.js';
import { boundedValue, MAX_LIST_ITEMS, MAX_OBJECT_KEYS } from '../../src/api/bounded-copy.js';
import { causes, podTemplate, service, template } from './support.js';

/** Parsed from text, because an object literal's `__proto__` sets the prototype instead of a key. */
function reservedKeysService(): unknown {
  return JSON.parse(readFileSync(new URL('fixtures/reserved-keys.json', import.meta.url), 'utf8'));
}

function prototypeIsClean(t: Test): void {
  const probe: Record<string, unknown> = {};
  t.equal(probe.polluted, undefined, 'Object.prototype has no `polluted`');
  t.equal(probe.polluted2, undefined, 'Object.prototype has no `polluted2`');
  t.same(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_KEYS, 'no key was added');
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

t.test('prototype keys are validated as data', async (t) => {
  const errors = validateInferenceService(reservedKeysService());
  t.same(causes(errors), [
    { field: 'spec.template.__proto__', type: 'Forbidden' },
    { field: 'spec.template.spec.containers[0].constructor', type: 'Forbidden' },
    { field: 'spec.template.spec.nodeSelector.constructor', type: 'Invalid' },
  ]);
  t.match(errors[0].detail, /^unknown field/);
  t.match(errors[1].detail, /^unknown field/);
  t.match(
    errors[2].detail,
    /must be of type string/,
    'a map key named constructor is an ordinary key',
  );
  prototypeIsClean(t);
});

t.test('constructor is a valid label key', async (t) => {
  const valid = {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'demo', namespace: 'team-a', labels: { constructor: 'x' } },
    spec: { template: { spec: { nodeSelector: { constructor: 'y' } } } },
  };
  t.same(validateInferenceService(valid), []);
  prototypeIsClean(t);
});

t.test('reserved keys do not reach the rules', async (t) => {
  const spec = (reservedKeysService() as { spec: unknown }).spec;
  t.same(causes(validateSpecRules(spec)), []);
  prototypeIsClean(t);
});

t.test('top-level `__proto__` is unknown', async (t) => {
  const object = JSON.parse(
    '{"apiVersion":"odin.moreh.io/v1alpha1","kind":"InferenceServiceTemplate","__proto__":{"spec":1}}',
  );
  t.same(causes(validateInferenceServiceTemplate(object)), [
    { field: '__proto__', type: 'Forbidden' },
  ]);
  prototypeIsClean(t);
});

t.test('deep nesting is rejected without recursion errors', async (t) => {
  let deep: unknown = 'leaf';
  for (let level = 0; level < 100000; level++) deep = { a: deep };
  const object = service({ template: { spec: { nodeSelector: deep } } });
  t.same(causes(validateInferenceService(object)), [
    { field: 'spec.template.spec.nodeSelector.a', type: 'Invalid' },
  ]);
  t.same(causes(validateSpecRules({ template: deep })), [
    { field: 'spec.template.spec.containers', type: 'Required' },
  ]);
});

t.test('free-form deep nesting is skipped', async (t) => {
  let deep: unknown = {};
  for (let level = 0; level < 100000; level++) deep = { f: deep };
  const object = template({ template: { metadata: { managedFields: [{ fieldsV1: deep }] } } });
  t.same(causes(validateInferenceServiceTemplate(object)), []);
});

t.test('a huge list is one error', async (t) => {
  const env = Array.from({ length: MAX_LIST_ITEMS + 1 }, () => ({ value: 1 }));
  const started = Date.now();
  const errors = validateInferenceService(service({ template: podTemplate({ env }) }));
  t.same(causes(errors), [{ field: 'spec.template.spec.containers[0].env', type: 'TooMany' }]);
  t.ok(Date.now() - started < 5000, 'finishes within 5 seconds');
});

t.test('bad list items each report', async (t) => {
  const env = Array.from({ length: 1000 }, () => ({ value: 1 }));
  const errors = validateInferenceService(service({ template: podTemplate({ env }) }));
  t.equal(errors.length, 2000, 'a missing name and a mistyped value per item');
});

t.test('too many keys is one error', async (t) => {
  const labels = Object.fromEntries(
    Array.from({ length: MAX_OBJECT_KEYS + 1 }, (_, index) => [`k${index}`, 'v']),
  );
  const errors = validateInferenceService({ ...service({}), metadata: { name: 'demo', labels } });
  t.same(causes(errors), [{ field: 'metadata.labels', type: 'Invalid' }]);
});

t.test('any JSON value does not throw', async (t) => {
  for (const value of [
    null,
    undefined,
    0,
    'x',
    true,
    [],
    [null],
    {},
    { spec: [] },
    { spec: 'x' },
  ]) {
    t.doesNotThrow(() => validateInferenceService(value), `service ${JSON.stringify(value)}`);
    t.doesNotThrow(
      () => validateInferenceServiceTemplate(value),
      `template ${JSON.stringify(value)}`,
    );
    t.doesNotThrow(() => validateSpecRules(value), `rules ${JSON.stringify(value)}`);
  }
});

t.test('validation leaves its input unchanged', async (t) => {
  const object = service({
    framework: null,
    template: podTemplate({ env: [{ name: 'A', value: null }] }),
  });
  const before = JSON.stringify(object);
  validateInferenceService(object);
  t.equal(JSON.stringify(object), before);
});

t.test('clean input is validated without a copy', async (t) => {
  const value = { spec: { template: { spec: { containers: [{ name: 'main', args: ['a'] }] } } } };
  const errors: unknown[] = [];
  t.equal(boundedValue(value, FieldPath.root(''), errors as never), value, 'same object');
  t.same(errors, [], 'no errors');
});

t.test('deep null property is left out of a copy', async (t) => {
  const value = { spec: { template: { spec: { containers: [{ name: 'main', image: null }] } } } };
  const errors: unknown[] = [];
  const bounded = boundedValue(value, FieldPath.root(''), errors as never) as typeof value;
  t.not(bounded, value, 'copied');
  t.notOk('image' in bounded.spec.template.spec.containers[0], 'null property left out');
  t.equal(value.spec.template.spec.containers[0].image, null, 'input unchanged');
  t.same(errors, [], 'no errors');
});

t.test('deep reserved key is found without a copy pass first', async (t) => {
  const value = JSON.parse('{"spec":{"template":{"spec":{"containers":[{"__proto__":{}}]}}}}');
  const errors: { field: string }[] = [];
  boundedValue(value, FieldPath.root(''), errors as never);
  t.same(
    errors.map((error) => error.field),
    ['spec.template.spec.containers[0].__proto__'],
    'reported at its path',
  );
});
