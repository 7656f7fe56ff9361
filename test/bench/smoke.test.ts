// Smoke test of the benchmark harness: a tiny run (scenario a, one second, one
// connection) against the floor and the built webhook. It checks only that
// both servers responded to every request with a well-formed AdmissionReview;
// figures from a run this short on a shared machine mean nothing, so none
// are checked. Needs `npm run build` first, as the harness does.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Results } from '../../bench/plan.js';

const REPOSITORY = new URL('../../', import.meta.url).pathname;

const outDir = await mkdtemp(join(tmpdir(), 'odin-bench-smoke-'));
t.teardown(() => rm(outDir, { recursive: true, force: true }));

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'bench/run.ts', '--tiny', '--out', outDir],
  { cwd: REPOSITORY, encoding: 'utf8', timeout: 90_000 },
);

void t.test('tiny run exits cleanly', async (t) => {
  t.equal(run.status, 0, `exit status; stderr:\n${run.stderr}`);
});

void t.test('both servers answer every request', async (t) => {
  const results = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as Results;
  for (const server of ['floor', 'webhook']) {
    const measurement = results.measurements.find((m) => m.server === server && m.scenario === 'a');
    t.ok(measurement, `${server} was measured`);
    if (!measurement) continue;
    const { load } = measurement;
    t.ok(load.requests > 0, `${server} answered requests`);
    t.equal(load.malformed, 0, `${server} answered only well-formed AdmissionReviews`);
    t.equal(load.non2xx, 0, `${server} answered only with HTTP 200`);
    t.equal(load.errors, 0, `${server} had no connection errors`);
    t.equal(load.timeouts, 0, `${server} had no timeouts`);
  }
});
