// The hand-written merge cases with a stated outcome, checked without Go:
// the merged object (as Go returns it, directives and nulls included) or an
// error whose message matches. differential.test.ts checks every case
// against Go as well.
import t from 'tap';
import { DEFAULT_MERGE_LIMITS, MergeError } from '../../src/merge/index.js';
import { strategicMergePatch } from '../../src/merge/strategic-merge.js';
import type { ExpectedCase } from './cases/case.js';
import { directiveCases } from './cases/directives.js';
import { podListCases } from './cases/pod-lists.js';
import { specFieldCases } from './cases/spec-fields.js';

function merge(c: ExpectedCase): Record<string, unknown> {
  return strategicMergePatch(c.original, c.patch, {
    schema: c.schema,
    limits: DEFAULT_MERGE_LIMITS,
    pathPrefix: '',
    clean: false,
  });
}

const groups: Record<string, ExpectedCase[]> = {
  'pod lists': podListCases,
  directives: directiveCases,
  'spec fields': specFieldCases,
};

for (const [group, cases] of Object.entries(groups)) {
  t.test(group, async (t) => {
    for (const c of cases) {
      if (c.error !== undefined) {
        t.throws(() => merge(c), c.error, c.name);
        t.throws(() => merge(c), MergeError, `${c.name}: raises MergeError`);
      } else if (c.expected !== undefined) {
        t.strictSame(merge(c), c.expected, c.name);
      }
    }
  });
}
