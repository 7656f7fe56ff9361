// Runs kubectl against the test cluster and returns what it printed, so a
// test can check exit codes and the exact messages a user would see.
import { spawn } from 'node:child_process';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Kubectl = (args: readonly string[], input?: string) => Promise<KubectlResult>;

/** Returns a kubectl runner bound to one kubeconfig; each call is cut after 60 s. */
export function kubectlFor(binary: string, kubeconfig: string): Kubectl {
  return (args, input) =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, [`--kubeconfig=${kubeconfig}`, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
}

/** Runs kubectl and throws with its output unless it exits 0. */
export async function mustKubectl(
  kubectl: Kubectl,
  args: readonly string[],
  input?: string,
): Promise<string> {
  const result = await kubectl(args, input);
  if (result.code !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}
