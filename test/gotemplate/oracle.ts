// Runs the Go reference (test/oracle/gotemplate) on template cases: builds it once
// into a cache folder outside the repository and feeds it every case in one call.

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TemplateCase {
  /** Template name, printed by Go in error texts. */
  name?: string;
  template: string;
  /** Data decoded into render.Context (Name, Namespace, Labels, Spec). */
  context?: unknown;
  /** Data decoded as encoding/json decodes into interface{}. */
  json?: unknown;
}

export interface CaseResult {
  output?: string;
  error?: string;
}

const ORACLE_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../oracle/gotemplate');

/** Returns why the oracle cannot run here, or undefined when `go` is available. */
export function oracleUnavailable(): string | undefined {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return 'the go toolchain is not on the PATH';
  return undefined;
}

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'odin-webhook', 'oracle');
}

/** Builds the oracle binary and returns its path; throws with go's output on failure. */
export function buildOracle(): string {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, 'gotemplate');
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: ORACLE_SOURCE,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`go build failed: ${build.stderr}`);
  return binary;
}

/** Runs all cases through the Go oracle in one process. */
export function runOracle(
  binary: string,
  functions: string[],
  cases: TemplateCase[],
): CaseResult[] {
  const run = spawnSync(binary, [], {
    input: JSON.stringify({ functions, cases }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as CaseResult[];
}

/** Prints the Go type table that src/render/go-types.generated.ts must equal. */
export function dumpGoTypes(binary: string): string {
  const run = spawnSync(binary, ['-dump-types'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`oracle failed: ${run.stderr}`);
  return run.stdout;
}
