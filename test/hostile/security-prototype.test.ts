// Keys that reach a prototype (`__proto__`, `constructor`, `prototype`) in
// every place a request or a template can carry them: JSON parsing at the
// edge, the strategic merge, Go template rendering with Sprig's map
// functions, and the JSON Patch. They stay ordinary keys everywhere, and
// Object.prototype and Array.prototype are untouched afterwards.
import t from 'tap';
import { mergeSpec } from '../../src/merge/index.js';
import { renderSpec } from '../../src/render/index.js';
import {
  fixture,
  hostileApp,
  MUTATE_PATH,
  prototypeProblems,
  responseProblems,
  TEMPLATE_PATH,
  VALIDATE_PATH,
} from './support.js';

const POLLUTER = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';

/** Returns a review as text, so that `__proto__` stays a key instead of setting a prototype. */
function reviewText(kind: string, spec: string, subResource?: string): string {
  const resource = kind === 'InferenceService' ? 'inferenceservices' : 'inferenceservicetemplates';
  const sub = subResource === undefined ? '' : `"subResource":"${subResource}",`;
  return (
    `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","__proto__":{"polluted":"yes"},` +
    `"request":{"uid":"proto-uid","__proto__":{"polluted":"yes"},${sub}` +
    `"kind":{"group":"odin.moreh.io","version":"v1alpha1","kind":"${kind}"},` +
    `"resource":{"group":"odin.moreh.io","version":"v1alpha1","resource":"${resource}"},` +
    `"namespace":"team-a","operation":"CREATE","object":{"apiVersion":"odin.moreh.io/v1alpha1",` +
    `"kind":"${kind}","metadata":{"name":"demo","namespace":"team-a","labels":${POLLUTER}},"spec":${spec}}}}`
  );
}

const SPEC_WITH_KEYS =
  `{"templateRefs":[{"name":"base","__proto__":{"polluted":"yes"}}],${POLLUTER.slice(1, -1)},` +
  `"template":{"__proto__":{"polluted":"yes"},"metadata":{"labels":${POLLUTER}},"spec":{"containers":[` +
  `{"name":"main","image":"vllm","constructor":{"prototype":{"polluted":"yes"}},` +
  `"env":[{"name":"__proto__","value":"{{ .Name }}"}]}],"nodeSelector":${POLLUTER}}}}`;

void t.test('requests with prototype keys are reviewed safely', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  const table = [
    { url: MUTATE_PATH, kind: 'InferenceService' },
    { url: MUTATE_PATH, kind: 'InferenceService', subResource: 'status' },
    { url: VALIDATE_PATH, kind: 'InferenceService' },
    { url: TEMPLATE_PATH, kind: 'InferenceServiceTemplate' },
  ];
  for (const row of table) {
    const name = `${row.url} ${row.subResource ?? ''}`;
    const payload = reviewText(row.kind, SPEC_WITH_KEYS, row.subResource);
    const reply = await app.inject({
      method: 'POST',
      url: row.url,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    t.equal(reply.statusCode, 200, `${name}: reviewed`);
    const response = reply.json().response;
    t.equal(response.uid, 'proto-uid', `${name}: uid echoed`);
    const request = JSON.parse(payload).request;
    t.same(responseProblems(request, response), [], `${name}: sound response`);
    t.same(prototypeProblems(), [], `${name}: prototypes untouched`);
  }
});

void t.test('validation names each prototype key', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  const reply = await app.inject({
    method: 'POST',
    url: VALIDATE_PATH,
    headers: { 'content-type': 'application/json' },
    payload: reviewText('InferenceService', SPEC_WITH_KEYS),
  });
  const response = reply.json().response;
  t.equal(response.allowed, false);
  t.equal(response.status.code, 422);
  const fields: string[] = response.status.details.causes.map(
    (cause: { field: string }) => cause.field,
  );
  for (const field of [
    'spec.__proto__',
    'spec.constructor',
    'spec.template.__proto__',
    'spec.templateRefs[0].__proto__',
    'spec.template.spec.containers[0].constructor',
  ]) {
    t.ok(fields.includes(field), `${field} is a cause`);
  }
});

void t.test('status write with prototype keys is left unchanged', async (t) => {
  // Validation rejects these keys even as map keys, and a status write checks
  // the object's fields before it renders anything.
  const { app } = await hostileApp(t, fixture().webhooks);
  const spec =
    '{"template":{"metadata":{"labels":{"__proto__":"p","constructor":"c"}},' +
    '"spec":{"containers":[{"name":"main","image":"vllm","env":[{"name":"A","value":"{{ .Name }}"}]}]}}}';
  const reply = await app.inject({
    method: 'POST',
    url: MUTATE_PATH,
    headers: { 'content-type': 'application/json' },
    payload: reviewText('InferenceService', spec, 'status'),
  });
  const response = reply.json().response;
  t.equal(response.allowed, true);
  t.equal(response.patch, undefined, 'no patch');
  t.match(
    response.warnings?.[0],
    /left unchanged, invalid: /,
  );
  t.same(prototypeProblems(), []);
});

void t.test('merge keeps prototype keys as own keys', async (t) => {
  const base = JSON.parse(
    `{"template":{"metadata":{"labels":{"__proto__":"a","constructor":"b"}}},${POLLUTER.slice(1, -1)}}`,
  );
  const overlay = JSON.parse(
    '{"template":{"metadata":{"labels":{"__proto__":"c"}}},"__proto__":null}',
  );
  const merged = mergeSpec(base, overlay) as {
    template: { metadata: { labels: Record<string, unknown> } };
  };
  const labels = merged.template.metadata.labels;
  t.same(Object.keys(labels), ['__proto__', 'constructor']);
  t.equal(
    Object.getOwnPropertyDescriptor(labels, '__proto__')?.value,
    'c',
    'the overlay value wins',
  );
  t.ok(Object.hasOwn(merged, 'constructor'), '`constructor` stays an own key');
  t.equal(Object.getPrototypeOf(labels), Object.prototype);
  t.notOk(Object.hasOwn(merged, '__proto__'), 'null in the overlay deletes `__proto__`');
  t.same(prototypeProblems(), []);
});

void t.test('Sprig map functions treat prototype keys as data', async (t) => {
  const table = [
    {
      text: '{{ $d := dict }}{{ $_ := set $d "__proto__" (dict "polluted" "yes") }}{{ toJson $d }}',
      output: '{"__proto__":{"polluted":"yes"}}',
    },
    {
      text: '{{ $d := dict "__proto__" (dict "polluted" "yes") }}{{ $d.polluted }}',
      output: '<no value>',
    },
    {
      text: '{{ fromJson "{\\"__proto__\\":{\\"polluted\\":1}}" | toJson }}',
      output: '{"__proto__":{"polluted":1}}',
    },
    {
      text: '{{ merge (dict) (fromJson "{\\"__proto__\\":{\\"polluted\\":1}}") | toJson }}',
      output: '{"__proto__":{"polluted":1}}',
    },
    {
      text: '{{ mergeOverwrite (dict) (dict "constructor" (dict "prototype" (dict "polluted" 1))) | toJson }}',
      output: '{"constructor":{"prototype":{"polluted":1}}}',
    },
    {
      text: '{{ deepCopy (dict "__proto__" (dict "polluted" 1)) | toJson }}',
      output: '{"__proto__":{"polluted":1}}',
    },
    {
      text: '{{ hasKey (dict) "constructor" }} {{ hasKey (dict) "__proto__" }} {{ hasKey (dict) "toString" }}',
      output: 'false false false',
    },
    { text: '{{ get (dict) "constructor" }}|{{ get (dict) "hasOwnProperty" }}', output: '|' },
    { text: '{{ dig "constructor" "prototype" "fallback" (dict) }}', output: 'fallback' },
    {
      text: '{{ index .Labels "__proto__" }}|{{ .Labels.constructor }}|{{ index .Labels "toString" }}',
      output: 'p|c|',
    },
    {
      text: '{{ keys (dict) | toJson }} {{ pluck "constructor" (dict) | toJson }}',
      output: '[] []',
    },
    {
      text: '{{ pick (dict "__proto__" 1 "a" 2) "__proto__" | toJson }}',
      output: '{"__proto__":1}',
    },
    { text: '{{ (dict).constructor }}', output: '<no value>' },
  ];
  const labels = JSON.parse('{"__proto__":"p","constructor":"c"}') as Record<string, string>;
  for (const row of table) {
    const result = renderSpec(
      { model: { name: row.text } },
      { name: 'demo', namespace: 'team-a', labels },
    );
    t.same(result.errors, [], `${row.text}: no error`);
    t.equal((result.spec.model as { name: string }).name, row.output, row.text);
  }
  t.same(prototypeProblems(), []);
});
