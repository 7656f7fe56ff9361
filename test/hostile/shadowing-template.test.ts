// A template created in a service's namespace shadows the system template of
// the same name for every service there, so its CREATE is checked against
// those services as an UPDATE would be.
import t from 'tap';
import type { JsonObject } from '../../src/admission/review.js';
import {
  admissionRequest,
  fixture,
  serviceObject,
  TEMPLATE_PATH,
  templateObject,
  VALIDATE_PATH,
} from './support.js';

void t.test('shadowing template that breaks a user is denied', async (t) => {
  const fix = fixture();
  const userSpec = { templateRefs: [{ name: 'base' }], model: { name: 'meta-llama/Llama-3.2-1B' } };
  fix.services.put(serviceObject(userSpec, 'user') as never);
  const user = serviceObject(userSpec, 'user');
  const before = await fix.byPath
    .get(VALIDATE_PATH)
    ?.review(admissionRequest({ operation: 'UPDATE', object: user, oldObject: user }));
  t.equal(before?.allowed, true, 'the user is valid with the system template');

  // No pod template: every user that relied on the system one loses it.
  const shadow = templateObject('team-a', 'base', { framework: 'sglang' }) as unknown as JsonObject;
  const response = await fix.byPath.get(TEMPLATE_PATH)?.review(
    admissionRequest({
      kind: 'InferenceServiceTemplate',
      namespace: 'team-a',
      name: 'base',
      object: shadow,
    }),
  );
  t.equal(response?.allowed, false, 'the shadowing CREATE is denied');
  t.match(response?.status?.message, 'team-a/user', 'naming the user it would break');
});
