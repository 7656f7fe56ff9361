// The files a benchmark run needs: a temporary folder with a serving
// certificate and the template and service folders, and the Go baseline
// built into the user's cache folder.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeServiceFolder, writeTemplateFolder, type ServiceFormat } from './fixtures.js';
import type { ServerFolders } from './servers.js';

const REPOSITORY = new URL('../', import.meta.url).pathname;

/** `${XDG_CACHE_HOME:-$HOME/.cache}/odin-webhook/bench`, where the Go binary and results go. */
export function cacheFolder(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'odin-webhook', 'bench');
}

/** Returns why the harness cannot run, or undefined when it can. */
export function missingBuild(): string | undefined {
  if (existsSync(join(REPOSITORY, 'dist/src/cli.js'))) return undefined;
  return 'dist/src/cli.js is missing: run `npm run build` first; the benchmark measures the built server';
}

/**
 * Builds the Go webhook of bench/go-webhook into the cache folder and returns
 * the binary's path, or undefined when Go is not installed. A failed build
 * throws with the compiler's output.
 */
export async function buildGoWebhook(): Promise<string | undefined> {
  if (spawnSync('go', ['version']).status !== 0) return undefined;
  const binary = join(cacheFolder(), 'go-webhook');
  await mkdir(cacheFolder(), { recursive: true });
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: join(REPOSITORY, 'bench/go-webhook'),
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`go build of bench/go-webhook failed:\n${build.stderr}`);
  return binary;
}

export class Workspace {
  readonly tlsCert: string;
  readonly tlsKey: string;
  private readonly folders = new Map<string, Promise<string>>();

  private constructor(readonly root: string) {
    this.tlsCert = join(root, 'tls.crt');
    this.tlsKey = join(root, 'tls.key');
  }

  /** Creates the temporary folder and an ECDSA P-256 certificate for 127.0.0.1 with openssl. */
  static async create(): Promise<Workspace> {
    const workspace = new Workspace(await mkdtemp(join(tmpdir(), 'odin-bench-')));
    const openssl = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        workspace.tlsKey,
        '-out',
        workspace.tlsCert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (openssl.status !== 0) {
      throw new Error(
        `openssl could not create the test certificate: ${openssl.stderr ?? openssl.error}`,
      );
    }
    return workspace;
  }

  private folder(name: string, write: (directory: string) => Promise<void>): Promise<string> {
    let folder = this.folders.get(name);
    if (folder === undefined) {
      const directory = join(this.root, name);
      folder = write(directory).then(() => directory);
      this.folders.set(name, folder);
    }
    return folder;
  }

  /** Returns the template and service folders for that many cached objects, writing them on first use. */
  async serverFolders(
    templates: number,
    services: number,
    serviceFormat: ServiceFormat,
  ): Promise<ServerFolders> {
    const templatesDir = await this.folder(`templates-${templates}`, (d) =>
      writeTemplateFolder(d, templates),
    );
    const servicesDir = await this.folder(`services-${services}-${serviceFormat}`, (d) =>
      writeServiceFolder(d, services, serviceFormat),
    );
    return { templatesDir, servicesDir };
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
