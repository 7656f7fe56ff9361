// Finds kube-apiserver, kubectl and etcd as scripts/tools/build-kube.sh
// builds them, without building: a test run must not start a build that takes
// many minutes. Missing binaries fail the suite in CI and skip it elsewhere.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface KubeBinaries {
  kubeApiserver: string;
  kubectl: string;
  etcd: string;
}

const BUILD_SCRIPT = fileURLToPath(
  new URL('../../../scripts/tools/build-kube.sh', import.meta.url),
);
const HOW_TO_BUILD =
  'run `bash scripts/tools/build-kube.sh` first (needs Go 1.26 and the Go module proxy)';

/** Returns the binaries, or a one-line reason why they cannot be used. */
export async function findKubeBinaries(): Promise<KubeBinaries | { missing: string }> {
  let stdout: string;
  try {
    // Exit code 3 means "not built" and still prints the expected paths.
    ({ stdout } = await promisify(execFile)('bash', [BUILD_SCRIPT, '--check']));
  } catch (error) {
    stdout = (error as { stdout?: string }).stdout ?? '';
  }

  const paths = new Map(
    stdout
      .trim()
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => line.split('=', 2) as [string, string]),
  );
  const names = ['kube-apiserver', 'kubectl', 'etcd'];
  const absent = names.filter((name) => !existsSync(paths.get(name) ?? ''));
  if (absent.length > 0) {
    const where = absent.map((name) => paths.get(name) ?? name).join(', ');
    return { missing: `end-to-end tools not built: ${where}; ${HOW_TO_BUILD}` };
  }
  return {
    kubeApiserver: paths.get('kube-apiserver') as string,
    kubectl: paths.get('kubectl') as string,
    etcd: paths.get('etcd') as string,
  };
}
