// No template input reaches an object prototype: keys such as __proto__,
// constructor and prototype are ordinary keys in specs, dicts, set, merge and
// map access.

import t from 'tap';
import { renderSpec } from '../../src/render/index.js';

const meta = { name: 'demo', namespace: 'ns', labels: {} };

t.test('prototype keys stay ordinary data', async (t) => {
  const spec = JSON.parse(
    '{"template":{"__proto__":{"polluted":"yes"},"metadata":{"annotations":{"constructor":"{{ .Name }}"}},' +
      '"spec":{"nodeSelector":{"constructor":{"prototype":{"polluted2":"yes"}}},' +
      '"containers":[{"name":"main","args":[' +
      '"{{ $d := dict \\"__proto__\\" (dict \\"polluted3\\" 1) }}{{ $_ := set $d \\"constructor\\" 2 }}{{ toJson $d }}",' +
      '"{{ $m := merge (dict) (fromJson \\"{\\\\\\"__proto__\\\\\\":{\\\\\\"polluted4\\\\\\":1}}\\") }}{{ index $m \\"__proto__\\" }}",' +
      '"{{ .Spec.Template.Spec.NodeSelector.constructor }}"]}]}}}',
  );
  const result = renderSpec(spec, meta);
  const rendered = result.spec.template as Record<string, unknown>;
  const container = (rendered.spec as { containers: { args: string[] }[] }).containers[0];
  t.same(container.args, ['{"__proto__":{"polluted3":1},"constructor":2}', 'map[polluted4:1]', '']);
  t.ok(Object.hasOwn(rendered, '__proto__'), '__proto__ stays an own key of the result');
  t.equal(Object.getPrototypeOf(rendered), Object.prototype);
  t.same((rendered.metadata as { annotations: Record<string, string> }).annotations, {
    constructor: 'demo',
  });
  for (const key of ['polluted', 'polluted2', 'polluted3', 'polluted4']) {
    t.equal(({} as Record<string, unknown>)[key], undefined, `${key} not on Object.prototype`);
  }
  t.same(Object.keys(Object.prototype), [], 'Object.prototype has no added keys');
});
