// Each limit of the admission server at its value and one past it: body size,
// JSON nesting, the merge's value count, render time, output and parse depth,
// the count of field errors and warnings. A request at a limit is reviewed; one
// past it gets the documented 4xx or a field error, and nothing crashes.
import t from 'tap';
import { MAX_FIELD_ERRORS } from '../../src/admission/field-errors.js';
import { DEFAULT_BODY_LIMIT } from '../../src/admission/plugin.js';
import type { ResponseBody } from '../../src/admission/responses.js';
import { DEFAULT_MAX_JSON_DEPTH } from '../../src/admission/json-body.js';
import { buildApp } from '../../src/app.js';
import { ConfigError, formatConfigHelp, readConfig } from '../../src/config.js';
import { DEFAULT_MERGE_LIMITS } from '../../src/merge/index.js';
import { DEFAULT_RENDER_LIMITS, MAX_PARSE_DEPTH } from '../../src/render/index.js';
import {
  admissionRequest,
  BASE_TEMPLATE_SPEC,
  fixture,
  GROUP_VERSION,
  hostileApp,
  memoryLogger,
  MUTATE_PATH,
  reviewOf,
  serviceObject,
  SYSTEM_NAMESPACE,
  TEMPLATE_PATH,
  templateObject,
  VALIDATE_PATH,
  WEBHOOK_PATHS,
  webhookAt,
} from './support.js';

/** Returns the text of one flag in `serve --help`, from its usage to its variable, on one line. */
function helpOf(flag: string): string {
  const help = formatConfigHelp();
  const start = help.indexOf(`--${flag} `);
  const end = help.indexOf('env ODIN_WEBHOOK_', start);
  return help.slice(start, end).replace(/\s+/g, ' ');
}

void t.test('serve help shows each limit default', async (t) => {
  const table = [
    { flag: 'body-limit', text: `(default ${DEFAULT_BODY_LIMIT})` },
    { flag: 'max-json-depth', text: `(default ${DEFAULT_MAX_JSON_DEPTH})` },
    { flag: 'request-timeout', text: '(default 30000)' },
    { flag: 'keep-alive-timeout', text: '(default 95000)' },
    { flag: 'max-connections', text: '(default 1000)' },
  ];
  for (const row of table) t.match(helpOf(row.flag), row.text, `--${row.flag}`);
  t.equal(DEFAULT_BODY_LIMIT, 7 * 1024 * 1024, 'body limit is 7 MiB');
});

/** Returns a valid CREATE review padded with trailing spaces to exactly `bytes` bytes. */
function paddedReview(bytes: number): string {
  const review = JSON.stringify(reviewOf(admissionRequest({ object: serviceObject({}) })));
  return review + ' '.repeat(bytes - Buffer.byteLength(review));
}

void t.test('body at the limit is reviewed, one byte more is 413', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  const headers = { 'content-type': 'application/json' };
  const table = [
    { name: 'at the limit', bytes: DEFAULT_BODY_LIMIT, status: 200 },
    { name: 'one byte over', bytes: DEFAULT_BODY_LIMIT + 1, status: 413 },
  ];
  for (const row of table) {
    const response = await app.inject({
      method: 'POST',
      url: VALIDATE_PATH,
      headers,
      payload: paddedReview(row.bytes),
    });
    t.equal(response.statusCode, row.status, row.name);
    if (row.status === 413) {
      t.equal(
        response.json().message,
        `request body must not be larger than ${DEFAULT_BODY_LIMIT} bytes`,
      );
    }
  }
});

void t.test('configured body limit applies to every path', async (t) => {
  const app = buildApp({
    webhooks: fixture().webhooks,
    logger: memoryLogger().logger,
    bodyLimit: 4096,
  });
  t.teardown(() => app.close());
  for (const url of WEBHOOK_PATHS) {
    const over = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: paddedReview(4097),
    });
    t.equal(over.statusCode, 413, `${url} over the limit`);
    const at = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: paddedReview(4096),
    });
    t.equal(at.statusCode, 200, `${url} at the limit`);
  }
});

/** Returns a review whose object carries arrays nested so the whole body is `depth` deep. */
function nestedReview(depth: number): string {
  // The envelope, request, object and spec are four levels.
  const inner = depth - 4;
  const spec = `{"x":${'['.repeat(inner)}${']'.repeat(inner)}}`;
  const request = admissionRequest({ object: serviceObject('SPEC' as never) });
  return JSON.stringify(reviewOf(request)).replace('"SPEC"', spec);
}

void t.test('nesting at the depth limit is reviewed, deeper is 400', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  for (const url of WEBHOOK_PATHS) {
    const headers = { 'content-type': 'application/json' };
    const at = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: nestedReview(DEFAULT_MAX_JSON_DEPTH),
    });
    t.equal(at.statusCode, 200, `${url}: ${DEFAULT_MAX_JSON_DEPTH} levels are reviewed`);
    t.not(at.json().response?.status?.code, 500, `${url}: no internal error`);

    const over = await app.inject({
      method: 'POST',
      url,
      headers,
      payload: nestedReview(DEFAULT_MAX_JSON_DEPTH + 1),
    });
    t.equal(over.statusCode, 400, `${url}: one level more is rejected`);
    t.equal(
      over.json().message,
      `request body must not nest objects and arrays deeper than ${DEFAULT_MAX_JSON_DEPTH} levels`,
    );
  }
});

/** Returns whether `serve` accepts `--max-json-depth depth`. */
function acceptsDepth(depth: number): boolean {
  try {
    readConfig(['--max-json-depth', String(depth)], {});
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

void t.test('every accepted depth limit is safe to reach', async (t) => {
  // Copying a 2,000-level object overflowed the call stack of the mutation.
  for (const depth of [1000, 2000, 5000, 10_000]) {
    if (!acceptsDepth(depth)) continue;
    const app = buildApp({
      webhooks: fixture().webhooks,
      logger: memoryLogger().logger,
      maxJsonDepth: depth,
    });
    t.teardown(() => app.close());
    for (const url of WEBHOOK_PATHS) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: nestedObjectReview(depth),
      });
      t.equal(response.statusCode, 200, `${url} reviews ${depth} levels`);
      t.not(
        response.json().response?.status?.code,
        500,
        `${url} has no internal error at ${depth} levels`,
      );
    }
  }
  t.ok(acceptsDepth(DEFAULT_MAX_JSON_DEPTH), 'the default is accepted');
  t.ok(acceptsDepth(1000), '1000 is accepted');
  t.notOk(acceptsDepth(1001), '1001 is rejected');
});

/** Returns a review whose object nests objects so the whole body is `depth` deep. */
function nestedObjectReview(depth: number): string {
  const inner = depth - 4;
  const spec = `{"x":${'{"a":'.repeat(inner)}1${'}'.repeat(inner)}}`;
  const request = admissionRequest({ object: serviceObject('SPEC' as never) });
  return JSON.stringify(reviewOf(request)).replace('"SPEC"', spec);
}

void t.test('deep status write is answered without rendering', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  const body = nestedReview(DEFAULT_MAX_JSON_DEPTH).replace(
    '"operation":"CREATE"',
    '"operation":"CREATE","subResource":"status"',
  );
  const response = await app.inject({
    method: 'POST',
    url: MUTATE_PATH,
    headers: { 'content-type': 'application/json' },
    payload: body,
  });
  t.equal(response.statusCode, 200);
  t.equal(response.json().response.allowed, true, JSON.stringify(response.json().response));
  t.match(response.json().response.warnings?.[0], /left unchanged/);
});

void t.test('6 MiB string value is reviewed', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  const env = [{ name: 'BLOB', value: 'x'.repeat(6 * 1024 * 1024) }];
  const spec = {
    templateRefs: [{ name: 'base' }],
    template: { spec: { containers: [{ name: 'main', env }] } },
  };
  for (const url of [MUTATE_PATH, VALIDATE_PATH]) {
    const started = Date.now();
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(reviewOf(admissionRequest({ object: serviceObject(spec) }))),
    });
    t.equal(response.statusCode, 200, url);
    t.equal(response.json().response.allowed, true, `${url} allows`);
    t.ok(Date.now() - started < 10_000, `${url} answered in ${Date.now() - started} ms`);
  }
});

/** Returns a template spec whose four containers carry `perContainer` env entries each. */
function templateWithEnv(perContainer: number): unknown {
  const env = Array.from({ length: perContainer }, (_, index) => ({
    name: `V${index}`,
    value: 'v',
  }));
  const containers = ['a', 'b', 'c', 'd'].map((name) => ({ name, image: 'vllm', env }));
  return { template: { spec: { containers } } };
}

void t.test('template over the merge value limit is invalid', async (t) => {
  const fix = fixture();
  const webhook = fix.byPath.get(TEMPLATE_PATH);
  // Each env entry is three values: the object and its two strings.
  const table = [
    { name: 'under the limit', perContainer: 8000, allowed: true },
    { name: 'over the limit', perContainer: 9000, allowed: false },
  ];
  t.equal(DEFAULT_MERGE_LIMITS.maxNodes, 100_000);
  for (const row of table) {
    const object = templateObject(SYSTEM_NAMESPACE, 'big', templateWithEnv(row.perContainer));
    const request = admissionRequest({
      kind: 'InferenceServiceTemplate',
      namespace: SYSTEM_NAMESPACE,
      object: object as never,
    });
    const response = await webhook?.review(request);
    t.equal(response?.allowed, row.allowed, row.name);
    if (!row.allowed) {
      t.equal(response?.status?.code, 422);
      t.match(response?.status?.message, /more than 100000 values, the merge limit/);
    }
  }
});

void t.test('service over the merge value limit is invalid', async (t) => {
  const fix = fixture([BASE_TEMPLATE_SPEC, templateWithEnv(9000)]);
  const request = admissionRequest({
    object: serviceObject({ templateRefs: [{ name: 'preset' }] }),
  });
  const response = await fix.byPath.get(VALIDATE_PATH)?.review(request);
  t.equal(response?.allowed, false);
  t.equal(response?.status?.code, 422);
  t.equal(response?.status?.details?.causes?.[0]?.field, 'spec.templateRefs[0].name');
  t.match(
    response?.status?.details?.causes?.[0]?.message,
    /template "mif\/preset" cannot be merged/,
  );
});

/** Validates a service whose one container argument is `text`; returns the response. */
async function validateArgument(text: string): Promise<ResponseBody> {
  const spec = {
    templateRefs: [{ name: 'base' }],
    template: { spec: { containers: [{ name: 'main', args: [text] }] } },
  };
  return webhookAt(fixture(), VALIDATE_PATH).review(
    admissionRequest({ object: serviceObject(spec) }),
  );
}

void t.test('render limits become field errors at the path', async (t) => {
  const path = 'spec.template.spec.containers[0].args[0]';
  const table = [
    {
      name: 'time',
      text: '{{ range 9999 }}{{ $x := sha512sum (repeat 20000 "x") }}{{ end }}',
      message: `execution exceeds the time limit of ${DEFAULT_RENDER_LIMITS.maxDurationMs} ms`,
    },
    {
      name: 'output',
      text: '{{ range 9999 }}0123456789012345678901234567890123456789{{ end }}',
      message: `output exceeds the limit of ${DEFAULT_RENDER_LIMITS.maxOutputBytes} bytes`,
    },
    {
      name: 'built string',
      text: `{{ repeat ${DEFAULT_RENDER_LIMITS.maxOutputBytes + 1} "x" }}`,
      message: `exceeds the limit of ${DEFAULT_RENDER_LIMITS.maxOutputBytes} bytes`,
    },
    {
      name: 'range iterations',
      text: `{{ range ${DEFAULT_RENDER_LIMITS.maxRangeIterations + 1} }}{{ end }}`,
      message: `range exceeds the limit of ${DEFAULT_RENDER_LIMITS.maxRangeIterations} iterations`,
    },
    {
      name: 'template calls',
      text: '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
      message: `exceeded maximum template depth (${DEFAULT_RENDER_LIMITS.maxCallDepth})`,
    },
    {
      name: 'parse depth',
      text: `{{ ${'('.repeat(MAX_PARSE_DEPTH + 1)}1${')'.repeat(MAX_PARSE_DEPTH + 1)} }}`,
      message: 'max expression depth exceeded',
    },
  ];
  for (const row of table) {
    const started = Date.now();
    const response = await validateArgument(row.text);
    t.equal(response.allowed, false, `${row.name}: denied`);
    t.equal(response.status?.code, 422, `${row.name}: 422`);
    t.equal(response.status?.details?.causes?.[0]?.field, path, `${row.name}: path`);
    t.match(response.status?.details?.causes?.[0]?.message, row.message, `${row.name}: message`);
    t.ok(Date.now() - started < 5000, `${row.name}: answered in ${Date.now() - started} ms`);
  }
});

void t.test('parse depth at the limit renders', async (t) => {
  const text = `{{ ${'('.repeat(MAX_PARSE_DEPTH - 2)}1${')'.repeat(MAX_PARSE_DEPTH - 2)} }}`;
  const response = await validateArgument(text);
  t.equal(response.allowed, true);
});

void t.test('field errors and warnings are capped', async (t) => {
  const fix = fixture();
  const containers = Array.from({ length: 200 }, (_, index) => ({ name: `c${index}`, image: 7 }));
  const invalid = await fix.byPath
    .get(VALIDATE_PATH)
    ?.review(admissionRequest({ object: serviceObject({ template: { spec: { containers } } }) }));
  t.equal(invalid?.status?.details?.causes?.length, MAX_FIELD_ERRORS, `${MAX_FIELD_ERRORS} causes`);
  t.match(invalid?.status?.message, /\(and 150 more errors\)$/);

  const args = Array.from({ length: 30 }, (_, index) => `{{ .Labels.missing${index} }}`);
  const spec = {
    templateRefs: [{ name: 'base' }],
    template: { spec: { containers: [{ name: 'main', args }] } },
  };
  const warned = await fix.byPath
    .get(VALIDATE_PATH)
    ?.review(admissionRequest({ object: serviceObject(spec) }));
  t.equal(warned?.allowed, true);
  t.equal(warned?.warnings?.length, 10, 'ten warnings');
  t.match(warned?.warnings?.at(-1), /^\d+ more warnings not shown$/);
  for (const warning of warned?.warnings ?? []) t.ok(warning.length <= 120, 'each fits a header');
});

void t.test('unknown path or method gets 404 whatever the size', async (t) => {
  const { app } = await hostileApp(t, fixture().webhooks);
  const table = [
    { method: 'GET' as const, url: VALIDATE_PATH },
    { method: 'POST' as const, url: `/${'x'.repeat(10_000)}` },
    { method: 'POST' as const, url: `${MUTATE_PATH}/extra` },
  ];
  for (const row of table) {
    const response = await app.inject({
      method: row.method,
      url: row.url,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    t.equal(response.statusCode, 404, `${row.method} ${row.url.slice(0, 40)}`);
    t.ok(response.body.length < 400, 'the message quotes at most 100 characters of the path');
  }
  t.equal(GROUP_VERSION.group, 'odin.moreh.io');
});
