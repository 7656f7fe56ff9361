// Finds the helm binary that scripts/tools/build-helm.sh builds, without
// building it, and runs it against the test cluster with its own config,
// cache and data folders, so a developer's repositories and plugins cannot
// change the result.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HELM_VERSION = 'v4.3.2';

export interface HelmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Helm = (args: readonly string[]) => Promise<HelmResult>;

/**
 * Returns the helm binary: $HELM when set, else the cached build of
 * scripts/tools/build-helm.sh, or a one-line reason why neither exists.
 * NOTE: the cache path repeats the one that build-helm.sh computes, because
 * the script builds helm when the binary is missing, which a test run must
 * not start.
 */
export function findHelm(): string | { missing: string } {
  const fromEnvironment = process.env.HELM;
  if (fromEnvironment) {
    return existsSync(fromEnvironment)
      ? fromEnvironment
      : { missing: `HELM is set to ${fromEnvironment}, which does not exist` };
  }
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const binary = join(cacheRoot, 'odin-webhook', 'tools', `helm-${HELM_VERSION}`, 'helm');
  if (existsSync(binary)) return binary;
  return {
    missing:
      `helm ${HELM_VERSION} not built: ${binary}; run \`bash scripts/tools/build-helm.sh\` ` +
      'first (needs Go 1.26 and the Go module proxy), or set HELM',
  };
}

/**
 * Returns a helm runner bound to one kubeconfig, keeping helm's own files
 * under `directory`. Each call is cut after 120 s.
 */
export function helmFor(binary: string, kubeconfig: string, directory: string): Helm {
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    HELM_CONFIG_HOME: join(directory, 'helm', 'config'),
    HELM_CACHE_HOME: join(directory, 'helm', 'cache'),
    HELM_DATA_HOME: join(directory, 'helm', 'data'),
  };
  return (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, args, {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}
