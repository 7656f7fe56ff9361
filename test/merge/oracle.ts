// Runs Go's strategic merge (the program in test/oracle/smp) on merge cases.
// The program is built once per run into a cache folder outside the
// repository and receives every case in one process call.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MergeSchema } from '../../src/merge/strategic-merge.js';

export interface MergeCase {
  name: string;
  schema: MergeSchema;
  original: unknown;
  patch: unknown;
}

/** Go's result for one case: the merged object or the error message. */
export interface OracleOutcome {
  result?: unknown;
  error?: string;
}

const ORACLE_SOURCE = fileURLToPath(new URL('../oracle/smp', import.meta.url));

const GO_SCHEMAS: Record<MergeSchema, string> = {
  InferenceServiceSpec: 'spec',
  PodTemplateSpec: 'pod',
};

/** Returns why Go's merge cannot run here, or undefined when it can. */
export function oracleUnavailable(): string | undefined {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  return probe.error !== undefined || probe.status !== 0
    ? 'the go toolchain is not on the PATH'
    : undefined;
}

function cacheFolder(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'odin-webhook', 'oracle');
}

/** Builds the oracle and returns the path of the binary; throws with Go's output on failure. */
export function buildOracle(): string {
  const folder = cacheFolder();
  mkdirSync(folder, { recursive: true });
  const binary = join(folder, 'smp-oracle');
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: ORACLE_SOURCE,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(`go build of the merge oracle failed: ${build.stderr}`);
  }
  return binary;
}

/** Runs every case through Go's StrategicMergePatch in one process. */
export function runOracle(binary: string, cases: readonly MergeCase[]): OracleOutcome[] {
  const input = cases.map((c) => ({
    original: c.original,
    patch: c.patch,
    schema: GO_SCHEMAS[c.schema],
  }));
  const run = spawnSync(binary, [], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    throw new Error(`the merge oracle failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as OracleOutcome[];
}
