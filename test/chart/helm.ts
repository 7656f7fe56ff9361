// Finds or builds the helm binary for the chart tests, runs it, and parses
// what `helm template` prints.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHART_DIR = join(REPO_ROOT, 'charts', 'odin-webhook');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts', 'tools', 'build-helm.sh');
const HELM_HOME = join(tmpdir(), 'odin-webhook-chart-tests');

/** Release name of the rendered chart. It contains the chart name, so it is also the resource name prefix. */
export const RELEASE = 'odin-webhook';

/**
 * Limit for a first build of helm from its Go module. One took 4 min 20 s on
 * 2 cores shared with another Go build, and later runs reuse the cached binary.
 */
const BUILD_TIMEOUT_MS = 15 * 60 * 1000;

/** The root test of a file, as far as these helpers use it. */
interface RootTest {
  setTimeout(ms: number): void;
  fail(message: string): boolean;
  plan(count: number, reason?: string): void;
}

/**
 * Returns the path of helm: $HELM when set, else the binary that
 * scripts/tools/build-helm.sh builds or finds in its cache.
 */
async function locateHelm(): Promise<string> {
  const fromEnvironment = process.env.HELM;
  if (fromEnvironment) {
    await access(fromEnvironment, constants.X_OK);
    return fromEnvironment;
  }

  try {
    const { stdout } = await execFileAsync('bash', [BUILD_SCRIPT], {
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim().split('\n').at(-1) ?? '';
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const lastLines = stderr.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${BUILD_SCRIPT} failed: ${(error as Error).message}\n${lastLines}`);
  }
}

/**
 * Returns the helm binary, or undefined when it can neither be found nor built.
 * Then, under CI=true, the file fails with the reason; elsewhere, the file is
 * skipped with it. Raises the file's timeout first, for a first build.
 */
export async function requireHelm(t: RootTest): Promise<string | undefined> {
  t.setTimeout(BUILD_TIMEOUT_MS + 5 * 60 * 1000);
  try {
    return await locateHelm();
  } catch (error) {
    const reason =
      `helm is not available (set HELM to a helm v4 binary, or install Go 1.26 ` +
      `so that scripts/tools/build-helm.sh can build it): ${(error as Error).message}`;
    if (process.env.CI === 'true') {
      t.fail(reason);
    } else {
      t.plan(0, reason);
    }
    return undefined;
  }
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with the arguments; a non-zero exit is returned, not raised. */
export async function runHelm(helm: string, args: readonly string[]): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await execFileAsync(helm, [...args], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      // Separate helm directories, so a developer's repositories and plugins
      // cannot change the result.
      env: {
        ...process.env,
        HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
        HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
        HELM_DATA_HOME: join(HELM_HOME, 'data'),
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** A Kubernetes object as parsed from YAML. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [field: string]: unknown;
};

/** Parses multi-document YAML, dropping empty documents. Raises on a YAML error. */
export function parseManifests(text: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`helm printed invalid YAML: ${document.errors[0]?.message}`);
    }
    const value = document.toJS() as Manifest | null;
    if (value !== null) manifests.push(value);
  }
  return manifests;
}

export interface RenderOptions {
  namespace?: string;
  /** --set arguments, such as "webhook.timeoutSeconds=5". */
  set?: readonly string[];
  /** --set-json arguments, such as "webhook.excludedNamespaces=[]". */
  setJson?: readonly string[];
  /** Chart directory; the repository's chart when absent. */
  chart?: string;
}

/** Renders the chart with `helm template` and raises when helm fails. */
export async function renderChart(helm: string, options: RenderOptions = {}): Promise<Manifest[]> {
  const args = ['template', RELEASE, options.chart ?? CHART_DIR];
  args.push('--namespace', options.namespace ?? 'odin-system');
  for (const value of options.set ?? []) args.push('--set', value);
  for (const value of options.setJson ?? []) args.push('--set-json', value);

  const result = await runHelm(helm, args);
  if (result.code !== 0) {
    throw new Error(`helm template exited with ${result.code}: ${result.stderr}`);
  }
  return parseManifests(result.stdout);
}

/** Returns the one object of the kind (and name, if given); raises when there is not exactly one. */
export function only(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const matches = manifests.filter(
    (manifest) => manifest.kind === kind && (name === undefined || manifest.metadata.name === name),
  );
  if (matches.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${matches.length}`);
  }
  return matches[0] as Manifest;
}

/** Returns the kinds of the objects, sorted, one entry per object. */
export function kindsOf(manifests: readonly Manifest[]): string[] {
  return manifests.map((manifest) => manifest.kind).sort();
}
