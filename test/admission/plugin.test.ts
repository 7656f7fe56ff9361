// The admission plugin through inject(): bad HTTP input gets exact Status
// bodies and leaves the server serving. Every review response carries the
// uid, apiVersion and kind of the request, also when the webhook throws.
import t from 'tap';
import { buildApp } from '../../src/app.js';
import {
  captureLogger,
  loadReview,
  PATCH_OPERATIONS,
  reviewBody,
  testWebhooks,
} from '../server/helpers.js';

const JSON_TYPE = { 'content-type': 'application/json' };

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

function setup(): ReturnType<typeof testWebhooks> &
  ReturnType<typeof captureLogger> & {
    app: ReturnType<typeof buildApp>;
  } {
  const hooks = testWebhooks();
  const log = captureLogger();
  const app = buildApp({ webhooks: hooks.webhooks, logger: log.logger });
  return { ...hooks, ...log, app };
}

const envelope = (extra: Record<string, unknown>): string =>
  JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', ...extra });

const request = (fields: Record<string, unknown>): Record<string, unknown> => ({
  uid: 'uid-x',
  kind: { group: 'odin.moreh.io', version: 'v1alpha1', kind: 'InferenceService' },
  operation: 'CREATE',
  ...fields,
});

interface BadInput {
  name: string;
  method?: 'POST' | 'GET' | 'PUT';
  url?: string;
  headers?: Record<string, string>;
  payload?: string;
  code: number;
  reason: string;
  message: string;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: 'body that ends inside a value',
    payload: '{"apiVersion": ',
    code: 400,
    reason: 'BadRequest',
    message: 'request body must be valid JSON: the body ends inside a value',
  },
  {
    name: 'body with a missing property name',
    payload: '{,}',
    code: 400,
    reason: 'BadRequest',
    message: 'request body must be valid JSON: syntax error at position 1',
  },
  {
    name: 'body that is not JSON at all',
    payload: 'apiVersion: admission.k8s.io/v1',
    code: 400,
    reason: 'BadRequest',
    message: 'request body must be valid JSON',
  },
  {
    name: 'wrong content type',
    headers: { 'content-type': 'text/plain' },
    payload: reviewBody(),
    code: 415,
    reason: 'UnsupportedMediaType',
    message: 'Content-Type must be application/json with charset utf-8 or none, not "text/plain"',
  },
  {
    name: 'charset other than UTF-8',
    headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    payload: reviewBody(),
    code: 415,
    reason: 'UnsupportedMediaType',
    message:
      'Content-Type must be application/json with charset utf-8 or none, not "application/json; charset=iso-8859-1"',
  },
  {
    name: 'body without content type',
    headers: {},
    payload: reviewBody(),
    code: 415,
    reason: 'UnsupportedMediaType',
    message: 'Content-Type must be application/json, but the request has none',
  },
  {
    name: 'empty JSON body',
    payload: '',
    code: 400,
    reason: 'BadRequest',
    message: 'request body must be an AdmissionReview, but it is empty',
  },
  {
    name: 'empty body without content type',
    headers: {},
    code: 400,
    reason: 'BadRequest',
    message: 'request body must be an AdmissionReview, but it is empty',
  },
  {
    name: 'body over the limit',
    payload: ' '.repeat(7 * 1024 * 1024 + 1),
    code: 413,
    reason: 'RequestEntityTooLarge',
    message: 'request body must not be larger than 7340032 bytes',
  },
  {
    name: 'JSON nested 100,000 levels deep',
    payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    code: 400,
    reason: 'BadRequest',
    message: 'request body must not nest objects and arrays deeper than 512 levels',
  },
  {
    name: 'JSON array instead of an object',
    payload: '[]',
    code: 400,
    reason: 'BadRequest',
    message: 'request body is not an AdmissionReview: the body must be a JSON object, not an array',
  },
  {
    name: 'review without request',
    payload: envelope({}),
    code: 400,
    reason: 'BadRequest',
    message: 'request body is not an AdmissionReview: `request` is missing; it must be an object',
  },
  {
    name: 'review without uid',
    payload: envelope({ request: request({ uid: undefined }) }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `request.uid` is missing; it must be a non-empty string',
  },
  {
    name: 'review with a numeric uid',
    payload: envelope({ request: request({ uid: 42 }) }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `request.uid` must be a non-empty string, not a number',
  },
  {
    name: 'review with an empty uid',
    payload: envelope({ request: request({ uid: '' }) }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `request.uid` must be a non-empty string, not ""',
  },
  {
    name: 'review with a null request',
    payload: envelope({ request: null }),
    code: 400,
    reason: 'BadRequest',
    message: 'request body is not an AdmissionReview: `request` must be an object, not null',
  },
  {
    name: 'review without request kind',
    payload: envelope({ request: request({ kind: undefined }) }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `request.kind` is missing; it must be an object with string `group`, `version` and `kind`',
  },
  {
    name: 'review with a numeric operation',
    payload: envelope({ request: request({ operation: 1 }) }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `request.operation` must be one of CREATE, UPDATE, DELETE, CONNECT, not a number',
  },
  {
    name: 'wrong apiVersion',
    payload: JSON.stringify({
      apiVersion: 'admission.k8s.io/v2',
      kind: 'AdmissionReview',
      request: request({}),
    }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `apiVersion` must be "admission.k8s.io/v1" or "admission.k8s.io/v1beta1", not "admission.k8s.io/v2"',
  },
  {
    name: 'wrong kind',
    payload: JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'Pod',
      request: request({}),
    }),
    code: 400,
    reason: 'BadRequest',
    message: 'request body is not an AdmissionReview: `kind` must be "AdmissionReview", not "Pod"',
  },
  {
    name: 'object that is an array',
    payload: envelope({ request: request({ object: [1] }) }),
    code: 400,
    reason: 'BadRequest',
    message:
      'request body is not an AdmissionReview: `request.object` must be an object or null, not an array',
  },
  {
    name: 'unknown path',
    url: '/mutate-something-else?timeout=10s',
    payload: reviewBody(),
    code: 404,
    reason: 'NotFound',
    message:
      'no admission webhook is served at POST "/mutate-something-else"; webhooks accept POST on their paths',
  },
  {
    name: 'GET on a webhook path',
    method: 'GET',
    url: '/allow',
    code: 404,
    reason: 'NotFound',
    message: 'no admission webhook is served at GET "/allow"; webhooks accept POST on their paths',
  },
];

t.test('bad HTTP input', async (t) => {
  const { app } = setup();
  t.teardown(() => app.close());

  for (const input of BAD_INPUTS) {
    const response = await app.inject({
      method: input.method ?? 'POST',
      url: input.url ?? '/allow',
      headers: input.headers ?? JSON_TYPE,
      payload: input.payload,
    });
    t.equal(response.statusCode, input.code, `${input.name}: status`);
    t.match(response.headers['content-type'], /^application\/json/, `${input.name}: content type`);
    t.same(response.json(), status(input.code, input.reason, input.message), `${input.name}: body`);

    const good = await app.inject({
      method: 'POST',
      // The apiserver appends its timeout as a query parameter.
      url: '/allow?timeout=10s',
      headers: JSON_TYPE,
      payload: reviewBody('after'),
    });
    t.equal(good.statusCode, 200, `${input.name}: next request served`);
    t.equal(good.json().response.uid, 'after', `${input.name}: next request answered`);
  }
});

t.test('allowed review echoes the envelope', async (t) => {
  const { app } = setup();
  t.teardown(() => app.close());
  const review = loadReview('create-inferenceservice-v1.json');

  const response = await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: JSON.stringify(review),
  });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  t.same(response.json(), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: '5f0c3b1e-2d4a-4c6b-9e8f-0a1b2c3d4e5f', allowed: true },
  });
});

t.test('uid echoed byte for byte', async (t) => {
  const { app } = setup();
  t.teardown(() => app.close());

  for (const uid of ['"quoted"', 'ünïcode-uid', ' spaced ']) {
    const response = await app.inject({
      method: 'POST',
      url: '/allow',
      headers: JSON_TYPE,
      payload: reviewBody(uid),
    });
    t.equal(response.json().response.uid, uid, JSON.stringify(uid));
  }
});

t.test('v1beta1 review answered in v1beta1', async (t) => {
  const { app } = setup();
  t.teardown(() => app.close());
  const review = loadReview('create-inferenceservice-v1beta1.json');

  const response = await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: JSON.stringify(review),
  });
  t.same(response.json(), {
    apiVersion: 'admission.k8s.io/v1beta1',
    kind: 'AdmissionReview',
    response: { uid: '00000000-0000-4000-8000-000000000803', allowed: true },
  });
});

t.test('throwing webhook answers 500 with the uid', async (t) => {
  const { app, text, lines } = setup();
  t.teardown(() => app.close());
  const review = loadReview('create-inferenceservice-wrong-type.json');

  const response = await app.inject({
    method: 'POST',
    url: '/throw',
    headers: JSON_TYPE,
    payload: JSON.stringify(review),
  });
  t.equal(response.statusCode, 200, 'the review itself is answered');
  t.same(response.json(), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid: '00000000-0000-4000-8000-000000000802',
      allowed: false,
      status: {
        metadata: {},
        status: 'Failure',
        message: 'internal error while reviewing the object',
        reason: 'InternalError',
        code: 500,
      },
    },
  });

  const failure = lines().find((line) => line.msg === 'webhook failed with an error');
  t.equal(failure?.level, 50, 'the error is logged at error level');
  t.match(failure?.error, { type: 'TypeError', message: 'cannot read spec' });
  t.notMatch(text(), /hunter2-secret/, 'properties of the error stay out of the log');
});

t.test('response without a decision becomes 500', async (t) => {
  const { app, lines } = setup();
  t.teardown(() => app.close());

  const response = await app.inject({
    method: 'POST',
    url: '/broken',
    headers: JSON_TYPE,
    payload: reviewBody('uid-broken'),
  });
  t.match(response.json(), {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'uid-broken', allowed: false, status: { code: 500 } },
  });
  t.match(lines(), [
    { level: 50, msg: 'webhook returned a response without `allowed`' },
    { msg: 'admission review decided' },
  ]);
});

t.test('patch passes through as base64 JSONPatch', async (t) => {
  const { app, lines } = setup();
  t.teardown(() => app.close());

  const response = await app.inject({
    method: 'POST',
    url: '/patch',
    headers: JSON_TYPE,
    payload: reviewBody('uid-p'),
  });
  const expected = Buffer.from(JSON.stringify(PATCH_OPERATIONS)).toString('base64');
  t.equal(
    expected,
    'W3sib3AiOiJhZGQiLCJwYXRoIjoiL3NwZWMvcGFyYWxsZWxpc20vZGF0YUxvY2FsIiwidmFsdWUiOjR9XQ==',
  );
  t.same(response.json().response, {
    uid: 'uid-p',
    allowed: true,
    patchType: 'JSONPatch',
    patch: expected,
  });

  const decision = lines().find((line) => line.msg === 'admission review decided');
  t.equal(decision?.patchOperations, 1, 'the decision line counts patch operations');
});

t.test('warnings stay an array of strings', async (t) => {
  const { app } = setup();
  t.teardown(() => app.close());

  const response = await app.inject({
    method: 'POST',
    url: '/warn',
    headers: JSON_TYPE,
    payload: reviewBody(),
  });
  t.same(response.json().response.warnings, ['replicas is 0, so no pod will run']);
});

t.test('dry run gets the same answer as a real request', async (t) => {
  const { app } = setup();
  t.teardown(() => app.close());
  const dryRun = loadReview('create-inferenceservice-dry-run.json');
  const real = { ...dryRun, request: { ...dryRun.request, dryRun: false } };

  const answers = [];
  for (const review of [dryRun, real]) {
    const response = await app.inject({
      method: 'POST',
      url: '/patch',
      headers: JSON_TYPE,
      payload: JSON.stringify(review),
    });
    answers.push(response.json().response);
  }
  t.same(answers[0], answers[1]);
});

t.test('__proto__ keys reach the webhook as own properties', async (t) => {
  const { app, received } = setup();
  t.teardown(() => app.close());
  const payload =
    '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"uid-proto",' +
    '"kind":{"group":"odin.moreh.io","version":"v1alpha1","kind":"InferenceService"},"operation":"CREATE",' +
    '"object":{"spec":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}}}';

  const response = await app.inject({ method: 'POST', url: '/allow', headers: JSON_TYPE, payload });
  t.equal(response.statusCode, 200);
  t.equal(response.json().response.uid, 'uid-proto');

  const spec = (received.get('allow')?.object as { spec: object }).spec;
  t.ok(Object.hasOwn(spec, '__proto__'), '__proto__ is an own property');
  t.equal(
    Object.getPrototypeOf(spec),
    Object.prototype,
    'the prototype of the object is unchanged',
  );
  t.equal(({} as { polluted?: boolean }).polluted, undefined, 'Object.prototype is untouched');
});

t.test('decision line carries the fixed fields', async (t) => {
  const { app, lines } = setup();
  t.teardown(() => app.close());
  const review = loadReview('create-inferenceservice-dry-run.json');

  await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: JSON.stringify(review),
  });
  const decisions = lines().filter((line) => line.msg === 'admission review decided');
  t.equal(decisions.length, 1, 'one decision line per review');
  t.equal(lines().length, 1, 'and no other line');
  t.match(decisions[0], {
    level: 30,
    webhook: 'allow',
    uid: '00000000-0000-4000-8000-000000002101',
    kind: 'InferenceService',
    namespace: 'team-a',
    name: 'demo',
    operation: 'CREATE',
    user: 'demo-user',
    dryRun: true,
    allowed: true,
    code: 200,
    patchOperations: 0,
    durationMs: Number,
  });
});

t.test('object contents never reach the logs', async (t) => {
  const { app, text } = setup();
  t.teardown(() => app.close());
  const secret = 'sk-live-0123456789-do-not-log';
  const object = {
    spec: {
      template: {
        spec: { containers: [{ name: 'main', env: [{ name: 'API_KEY', value: secret }] }] },
      },
    },
  };

  for (const url of ['/allow', '/patch', '/warn', '/throw']) {
    await app.inject({
      method: 'POST',
      url,
      headers: JSON_TYPE,
      payload: reviewBody('uid-s', object),
    });
  }
  await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: `{"env":"${secret}"`,
  });
  await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: JSON.stringify({ secret }),
  });
  t.notMatch(text(), secret);
  t.match(text(), 'uid-s', 'the reviews were logged');
});

t.test('HTTP errors are logged at info', async (t) => {
  const { app, lines } = setup();
  t.teardown(() => app.close());

  await app.inject({ method: 'POST', url: '/allow', headers: JSON_TYPE, payload: '{' });
  t.match(lines(), [
    {
      level: 30,
      msg: 'request rejected',
      code: 'ODIN_ERR_BODY_NOT_JSON',
      statusCode: 400,
      url: '/allow',
    },
  ]);
});

t.test('recorder sees every review and rejection', async (t) => {
  const { webhooks } = testWebhooks();
  const { logger } = captureLogger();
  const events: string[] = [];
  const app = buildApp({
    webhooks,
    logger,
    recorder: {
      reviewStarted: (webhook) => events.push(`started ${webhook}`),
      reviewFinished: (webhook, operation, result) =>
        events.push(`finished ${webhook} ${operation} ${result}`),
      requestRejected: (webhook) => events.push(`rejected ${webhook}`),
    },
  });
  t.teardown(() => app.close());

  for (const url of ['/allow', '/throw']) {
    await app.inject({ method: 'POST', url, headers: JSON_TYPE, payload: reviewBody() });
  }
  await app.inject({ method: 'POST', url: '/allow', headers: JSON_TYPE, payload: '{' });
  t.same(events, [
    'started allow',
    'finished allow CREATE allowed',
    'started throw',
    'finished throw CREATE error',
    'rejected allow',
  ]);
});

t.test('smaller body limit from options', async (t) => {
  const { webhooks } = testWebhooks();
  const { logger } = captureLogger();
  const app = buildApp({ webhooks, logger, bodyLimit: 2048, maxJsonDepth: 4 });
  t.teardown(() => app.close());

  const large = await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: reviewBody('u', { pad: 'x'.repeat(4096) }),
  });
  t.equal(large.statusCode, 413);
  t.equal(large.json().message, 'request body must not be larger than 2048 bytes');

  const deep = await app.inject({
    method: 'POST',
    url: '/allow',
    headers: JSON_TYPE,
    payload: reviewBody('u', { a: { b: { c: {} } } }),
  });
  t.equal(deep.statusCode, 400);
  t.equal(
    deep.json().message,
    'request body must not nest objects and arrays deeper than 4 levels',
  );
});
