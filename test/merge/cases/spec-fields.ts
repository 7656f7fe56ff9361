// InferenceServiceSpec fields, type changes, unknown fields and the errors
// that Go raises for malformed lists.
import { container, podCase, type ExpectedCase } from './case.js';

const specCase = (
  name: string,
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  outcome: { expected?: Record<string, unknown>; error?: RegExp } = {},
): ExpectedCase => ({ name, schema: 'InferenceServiceSpec', original, patch, ...outcome });

const podTemplate = (spec: Record<string, unknown>): Record<string, unknown> => ({ spec });

export const specFieldCases: ExpectedCase[] = [
  specCase(
    'structs merge and Odin lists are replaced',
    {
      framework: 'vllm',
      model: { name: 'a' },
      parallelism: { data: 8, dataLocal: 8 },
      templateRefs: [{ name: 'x' }],
      inferencePoolRefs: [{ name: 'p' }],
    },
    { parallelism: { tensor: 2 }, templateRefs: [{ name: 'y' }], inferencePoolRefs: [] },
    {
      expected: {
        framework: 'vllm',
        model: { name: 'a' },
        parallelism: { data: 8, dataLocal: 8, tensor: 2 },
        templateRefs: [{ name: 'y' }],
        inferencePoolRefs: [],
      },
    },
  ),
  specCase(
    'template and workerTemplate merge as pod templates',
    {
      template: podTemplate({ containers: [container('main', { image: 'a' })] }),
      workerTemplate: podTemplate({ containers: [container('main', { image: 'b' })] }),
    },
    {
      template: podTemplate({ containers: [container('main', { env: [{ name: 'A' }] })] }),
      workerTemplate: podTemplate({ containers: [container('side')] }),
    },
    {
      expected: {
        template: podTemplate({
          containers: [container('main', { image: 'a', env: [{ name: 'A' }] })],
        }),
        workerTemplate: podTemplate({
          containers: [container('side'), container('main', { image: 'b' })],
        }),
      },
    },
  ),
  specCase(
    'null removes parallelism fields and whole structs',
    { parallelism: { data: 2, pipeline: 2 }, service: { target: 'leader' } },
    { parallelism: { pipeline: null }, service: null, model: null },
    { expected: { parallelism: { data: 2 } } },
  ),
  specCase(
    'scalar replaced by an object',
    { replicas: 1, model: 'x' },
    { model: { name: 'm', extra: null } },
    { expected: { replicas: 1, model: { name: 'm' } } },
  ),
  specCase(
    'object replaced by a list',
    { service: { target: 'auto' } },
    { service: [{ target: 'auto' }] },
    { expected: { service: [{ target: 'auto' }] } },
  ),
  specCase(
    'integer replaced by a float',
    { parallelism: { data: 2 } },
    { parallelism: { data: 2.5 } },
    { expected: { parallelism: { data: 2.5 } } },
  ),
  specCase(
    'unknown field with objects on both sides fails',
    { extra: { a: 1 } },
    { extra: { b: 2 } },
    { error: /unknown field "extra" in InferenceServiceSpec/ },
  ),
  specCase(
    'unknown field with a scalar is replaced',
    { extra: 'a' },
    { extra: 'b' },
    { expected: { extra: 'b' } },
  ),
  specCase(
    'unknown field that only the patch sets is copied',
    { replicas: 1 },
    { extra: { a: { $patch: 'delete' }, b: null, c: [1] } },
    { expected: { replicas: 1, extra: { c: [1] } } },
  ),
  specCase(
    'field name matched case-insensitively',
    { Template: podTemplate({ containers: [container('a')] }) },
    { Template: podTemplate({ containers: [container('b')] }) },
    {
      expected: { Template: podTemplate({ containers: [container('b'), container('a')] }) },
    },
  ),
  specCase(
    'lists on both sides of a pointer struct field are replaced',
    { parallelism: [1, 2] },
    { parallelism: [3] },
    { expected: { parallelism: [3] } },
  ),
  specCase(
    'lists on both sides of a scalar pointer field are replaced',
    { replicas: [1, 2] },
    { replicas: [3] },
    { expected: { replicas: [3] } },
  ),
  specCase(
    'lists on both sides of a string field fail',
    { framework: ['a'] },
    { framework: ['b'] },
    { error: /not a list/ },
  ),
  specCase(
    'objects on both sides of a string field fail',
    { framework: { a: { x: 1 } } },
    { framework: { a: { y: 2 } } },
    { error: /inside a Go string/ },
  ),
  specCase(
    'objects inside a nodeSelector value fail',
    { template: podTemplate({ nodeSelector: { a: { x: 1 } } }) },
    { template: podTemplate({ nodeSelector: { a: { y: 1 } } }) },
    { error: /inside a Go map/ },
  ),
  specCase(
    'objects on both sides of a quantity fail',
    {
      template: podTemplate({
        containers: [container('a', { resources: { limits: { cpu: { a: {} } } } })],
      }),
    },
    {
      template: podTemplate({
        containers: [container('a', { resources: { limits: { cpu: { a: {} } } } })],
      }),
    },
    { error: /inside a Go map/ },
  ),
  specCase(
    'objects on both sides of an int-or-string port merge through its Go fields',
    {
      template: podTemplate({
        containers: [container('a', { livenessProbe: { httpGet: { port: { IntVal: 1, x: 2 } } } })],
      }),
    },
    {
      template: podTemplate({
        containers: [container('a', { livenessProbe: { httpGet: { port: { IntVal: 3 } } } })],
      }),
    },
  ),
  specCase(
    'a nested object inside an int-or-string field fails',
    {
      template: podTemplate({
        containers: [container('a', { livenessProbe: { httpGet: { port: { a: {} } } } })],
      }),
    },
    {
      template: podTemplate({
        containers: [container('a', { livenessProbe: { httpGet: { port: { a: {} } } } })],
      }),
    },
    { error: /unknown field "a" in IntOrString/ },
  ),
  specCase(
    'top-level $patch replace returns the overlay',
    { replicas: 1, framework: 'vllm' },
    { $patch: 'replace', replicas: 2 },
    { expected: { replicas: 2 } },
  ),
  specCase(
    'top-level $patch delete returns an empty spec',
    { replicas: 1 },
    { $patch: 'delete' },
    { expected: {} },
  ),
  specCase(
    'keys named __proto__ and constructor merge as data',
    { template: podTemplate({ nodeSelector: { constructor: 'a', toString: 'b' } }) },
    JSON.parse(
      '{"__proto__":{"polluted":"yes"},"template":{"spec":{"nodeSelector":{"__proto__":"c"}}}}',
    ),
  ),
  podCase(
    'container without its merge key fails',
    { containers: [container('main')] },
    { containers: [{ image: 'x' }] },
    { error: /merge key "name"/ },
  ),
  podCase(
    'base container without its merge key fails',
    { containers: [{ image: 'x' }] },
    { containers: [container('main')] },
    { error: /merge key "name"/ },
  ),
  podCase(
    'merge keys that are objects fail',
    { containers: [{ name: { a: 1 } }] },
    { containers: [{ name: { a: 1 } }] },
    { error: /must not be objects or lists/ },
  ),
  podCase(
    'merge keys of different types do not match',
    { containers: [{ name: 1 }] },
    { containers: [{ name: '1' }] },
    { expected: { containers: [{ name: '1' }, { name: 1 }] } },
  ),
  podCase(
    'strings in a keyed list fail',
    { containers: ['main'] },
    { containers: ['side'] },
    { error: /must be objects/ },
  ),
  podCase(
    'mixed item types in a keyed list fail',
    { containers: [container('a')] },
    { containers: ['b'] },
    { error: /same type/ },
  ),
  podCase(
    'a leading null item in a keyed list fails',
    { containers: [null] },
    { containers: [container('a')] },
    { error: /must not be null/ },
  ),
  podCase(
    'a list of lists in a keyed list fails',
    { containers: [[1]] },
    { containers: [[2]] },
    { error: /lists of lists/ },
  ),
  podCase(
    'empty lists on both sides stay empty',
    { containers: [] },
    { containers: [] },
    { expected: { containers: [] } },
  ),
  podCase(
    'an empty patch list keeps a keyed base list',
    { containers: [container('a')] },
    { containers: [] },
    { expected: { containers: [container('a')] } },
  ),
  podCase(
    'struct field given a list on both sides fails',
    { containers: [container('a', { resources: [1] })] },
    { containers: [container('a', { resources: [2] })] },
    { error: /not a list/ },
  ),
  {
    name: 'finalizers given objects fail for lack of a merge key',
    schema: 'PodTemplateSpec',
    original: { metadata: { finalizers: [{ a: 1 }] } },
    patch: { metadata: { finalizers: [{ b: 2 }] } },
    error: /without a merge key/,
  },
];
