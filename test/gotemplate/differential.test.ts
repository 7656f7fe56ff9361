// Compares the TypeScript engine with Go's text/template and Sprig v3.3.0 on
// every case, byte for byte, errors included. Needs the go toolchain; without it
// the test is skipped, never passed.

import t from 'tap';
import { templateFuncs } from '../../src/gotemplate/index.js';
import { corpusCases } from './cases/corpus.js';
import { builtinCases, sprigCases } from './cases/functions.js';
import { knownDifferences, syntaxCases } from './cases/syntax.js';
import { generatedCases } from './cases/generated.js';
import { regexCases } from './cases/regex.js';
import {
  buildOracle,
  oracleUnavailable,
  runOracle,
  type CaseResult,
  type TemplateCase,
} from './oracle.js';
import { runCase } from './run-case.js';

const groups: Record<string, TemplateCase[]> = {
  syntax: syntaxCases,
  builtins: builtinCases,
  sprig: sprigCases,
  corpus: corpusCases(),
  generated: generatedCases(),
  regex: regexCases,
  known: knownDifferences,
};

/**
 * Go prints a nested non-nil pointer as its memory address, which changes on every
 * run; both sides have addresses replaced before the comparison.
 */
function withoutAddresses(result: CaseResult): CaseResult {
  const replace = (s: string | undefined): string | undefined =>
    s?.replace(/0x[0-9a-f]{8,}/g, '0xADDRESS');
  return result.error !== undefined
    ? { error: replace(result.error) }
    : { output: replace(result.output) };
}

const reason = oracleUnavailable();
if (reason !== undefined) {
  t.test(
    'template cases match Go',
    { skip: `differential tests need Go: ${reason}` },
    async () => {},
  );
} else {
  const binary = buildOracle();
  const all = Object.entries(groups).flatMap(([group, cases]) =>
    cases.map((c, i) => ({ group, source: c, case: { ...c, name: c.name ?? `${group}${i}` } })),
  );
  const expected = runOracle(
    binary,
    [...templateFuncs().keys()],
    all.map((entry) => entry.case),
  );
  for (const [group] of Object.entries(groups)) {
    t.test(`${group} cases match Go`, async (tt) => {
      all.forEach((entry, i) => {
        if (entry.group !== group) return;
        const actual = withoutAddresses(runCase(entry.case, i));
        const reason = knownDifferences.find((k) => k === entry.source)?.reason;
        tt.same(actual, withoutAddresses(expected[i]), JSON.stringify(entry.case.template), {
          todo: reason,
        });
      });
    });
  }
}
