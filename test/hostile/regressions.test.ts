// Replays every kept counterexample in test/fixtures/regressions through the
// fastify app. A case names the webhook path, the template specs that the
// templates `base`, `preset` and `overlay` of the system namespace hold, the
// AdmissionReview, and what the response must be. Every case must also pass
// the checks of the fuzzers: 200 with the uid echoed, no generic 500, and a
// patch that applies strictly.
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import type { AdmissionRequest } from '../../src/admission/review.js';
import { fixture, hostileApp, prototypeProblems, responseProblems } from './support.js';

interface RegressionCase {
  name: string;
  path: string;
  templates?: unknown[];
  review: { apiVersion: string; request: AdmissionRequest };
  expect: {
    allowed: boolean;
    code?: number;
    /** Field of the first cause. */
    field?: string;
    /** Text that the first warning starts with. */
    warning?: string;
  };
}

const DIRECTORY = new URL('../fixtures/regressions/', import.meta.url);
const files = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.json'))
  .sort();

t.ok(files.length > 0, 'there are kept counterexamples');

for (const file of files) {
  const regression = JSON.parse(readFileSync(new URL(file, DIRECTORY), 'utf8')) as RegressionCase;

  void t.test(`${file}: ${regression.name}`, async (t) => {
    const { app } = await hostileApp(t, fixture(regression.templates).webhooks);
    const reply = await app.inject({
      method: 'POST',
      url: regression.path,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(regression.review),
    });

    t.equal(reply.statusCode, 200, 'HTTP 200');
    const body = reply.json();
    const response = body.response;
    t.equal(body.apiVersion, regression.review.apiVersion, 'apiVersion echoed');
    t.equal(response.uid, regression.review.request.uid, 'uid echoed');
    t.same(responseProblems(regression.review.request, response), [], 'passes the fuzz checks');
    t.equal(response.allowed, regression.expect.allowed, 'allowed');
    if (regression.expect.code !== undefined)
      t.equal(response.status?.code, regression.expect.code, 'code');
    if (regression.expect.field !== undefined) {
      t.equal(response.status?.details?.causes?.[0]?.field, regression.expect.field, 'field');
    }
    if (regression.expect.warning !== undefined) {
      t.equal(response.warnings?.[0]?.startsWith(regression.expect.warning), true, 'warning');
    }
    t.same(prototypeProblems(), [], 'Object.prototype untouched');
  });
}
