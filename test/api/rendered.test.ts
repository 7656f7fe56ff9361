// A rendered spec checked on its own: schema and rules together, under the
// path where the spec sits.
import t from 'tap';
import { validateRenderedSpec, validateSpecSchema } from '../../src/api/index.js';
import { causes, podTemplate } from './support.js';

t.test('rendered spec passes when complete', async (t) => {
  const spec = {
    framework: 'vllm',
    replicas: 1,
    template: podTemplate(),
    service: { target: 'auto' },
  };
  t.same(validateRenderedSpec(spec), []);
});

t.test('rendered spec deduplicates causes', async (t) => {
  const spec = { template: { spec: { containers: [{ image: 'x' }] } } };
  t.same(causes(validateRenderedSpec(spec)), [
    { field: 'spec.template.spec.containers[0].name', type: 'Required' },
  ]);
});

t.test('rendered spec combines both checks', async (t) => {
  const spec = { framework: 'tgi', parallelism: { data: 2, pipeline: 2, tensor: 0 } };
  t.same(causes(validateRenderedSpec(spec, 'status.renderedSpec')), [
    { field: 'status.renderedSpec', type: 'Required' },
    { field: 'status.renderedSpec.framework', type: 'NotSupported' },
    { field: 'status.renderedSpec.parallelism', type: 'Forbidden' },
    { field: 'status.renderedSpec.parallelism.tensor', type: 'Invalid' },
  ]);
});

t.test('spec schema reports under the given path', async (t) => {
  t.same(causes(validateSpecSchema({ replicas: 'one', extra: 1 }, 'status.renderedSpec')), [
    { field: 'status.renderedSpec.extra', type: 'Forbidden' },
    { field: 'status.renderedSpec.replicas', type: 'Invalid' },
  ]);
  t.same(causes(validateSpecSchema('spec')), [{ field: 'spec', type: 'Invalid' }]);
});
