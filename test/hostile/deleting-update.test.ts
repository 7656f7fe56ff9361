// An UPDATE of a service that is being deleted is allowed without templates
// when the spec is unchanged, so a template that has gone cannot block the
// controller from removing its finalizer; a spec that changes is still
// validated field by field.
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import { admissionRequest, fixture, serviceObject, VALIDATE_PATH } from './support.js';

function beingDeleted(spec: unknown): JsonObject {
  const object = serviceObject(spec);
  Object.assign(object.metadata as JsonObject, {
    deletionTimestamp: '2026-12-04T00:00:00Z',
    finalizers: ['odin.moreh.io/finalizer'],
  });
  return object;
}

const STORED = { templateRefs: [{ name: 'gone' }] };

void t.test('finalizer removal is allowed though its template is gone', async (t) => {
  const validate = fixture().byPath.get(VALIDATE_PATH);
  const oldObject = beingDeleted(STORED);
  const object = structuredClone(oldObject);
  (object.metadata as JsonObject).finalizers = [];
  const response = await validate?.review(
    admissionRequest({ operation: 'UPDATE', object, oldObject }),
  );
  t.equal(response?.allowed, true);
});

void t.test('invalid spec change during deletion is denied', async (t) => {
  const validate = fixture().byPath.get(VALIDATE_PATH);
  const oldObject = beingDeleted(STORED);
  const object = beingDeleted({
    ...STORED,
    framework: 'tgi',
    replicas: -5,
    parallelism: { data: 3, pipeline: 2 },
  });
  const response = await validate?.review(
    admissionRequest({ operation: 'UPDATE', object, oldObject }),
  );
  t.equal(response?.allowed, false, 'denied');
  t.equal(response?.status?.code, 422, 'with field errors');
  const fields = response?.status?.details?.causes?.map((cause) => cause.field) ?? [];
  t.ok(fields.includes('spec.framework'), 'names spec.framework');
  t.ok(fields.includes('spec.replicas'), 'names spec.replicas');
});
