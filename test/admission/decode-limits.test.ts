// Identifiers that the apiserver never sends at such length are refused
// before they reach a log line or a response.
import t from 'tap';
import { decodeAdmissionReview } from '../../src/admission/decode.js';
import { admissionReview, readObject } from '../helpers/reviews.js';

const object = readObject(
  new URL('../../examples/services/llama-tp2.yaml', import.meta.url).pathname,
);

t.test('uid of a UUID is accepted', async (t) => {
  const review = admissionReview({ object, uid: '6a1f3c52-0000-4000-8000-000000000001' });
  t.doesNotThrow(() => decodeAdmissionReview(review));
});

t.test('long identifiers are rejected with 400', async (t) => {
  const cases = [
    { field: 'uid', change: { uid: 'u'.repeat(129) } },
    { field: 'name', change: { name: 'n'.repeat(254) } },
    { field: 'namespace', change: { namespace: 's'.repeat(254) } },
  ];
  for (const { field, change } of cases) {
    const review = admissionReview({ object });
    Object.assign(review.request!, change);
    t.throws(
      () => decodeAdmissionReview(review),
      { statusCode: 400, message: new RegExp(`request\\.${field}`) },
      field,
    );
  }
});

t.test('unknown operation and long kind are rejected', async (t) => {
  const operation = admissionReview({ object });
  (operation.request as { operation: string }).operation = 'PATCH';
  t.throws(() => decodeAdmissionReview(operation), {
    statusCode: 400,
    message: /request\.operation/,
  });

  const kind = admissionReview({ object });
  kind.request!.kind.kind = 'K'.repeat(254);
  t.throws(() => decodeAdmissionReview(kind), { statusCode: 400, message: /request\.kind/ });
});
