// Finds kube-apiserver, kubectl and etcd as scripts/tools/build-kube.sh
// builds them, without building: a test run must not start a build that takes
// many minutes. Missing binaries fail the suite in CI and skip it elsewhere.
import { execFile } from 'node:child_process';
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

/** Returns the binaries, or a reason why they cannot be used. */
export async function findKubeBinaries(): Promise<KubeBinaries | { missing: string }> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('bash', [BUILD_SCRIPT, '--check']));
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    const paths = output.trim().split('\n').join(', ');
    return {
      missing:
        `kube-apiserver, kubectl and etcd are not all built (${paths || String(error)}); ` +
        'run `bash scripts/tools/build-kube.sh` first (needs Go 1.26 and the Go module proxy)',
    };
  }
  const paths = new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  return {
    kubeApiserver: paths.get('kube-apiserver') ?? '',
    kubectl: paths.get('kubectl') ?? '',
    etcd: paths.get('etcd') ?? '',
  };
}
