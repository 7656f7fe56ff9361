// The Go type table in src/render/go-types.generated.ts must equal what the Go
// oracle prints by reflection; regenerate it when this fails.

import { readFileSync } from 'node:fs';
import t from 'tap';
import { buildOracle, dumpGoTypes, oracleUnavailable } from './oracle.js';

const reason = oracleUnavailable();
t.test(
  'generated Go type table is current',
  { skip: reason && `needs Go: ${reason}` },
  async (t) => {
    const expected = dumpGoTypes(buildOracle());
    const actual = readFileSync(
      new URL('../../src/render/go-types.generated.ts', import.meta.url),
      'utf8',
    );
    t.equal(actual, expected);
  },
);
