// Starts the servers under test, each in its own process pinned to one core,
// measures the time from spawn to the first 200 from /readyz, and reads the
// peak resident set size (VmHWM) that Linux keeps per process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';

export type ServerKind = 'floor' | 'webhook' | 'go';

const REPOSITORY = new URL('../', import.meta.url).pathname;
const READY_POLL_MS = 10;
const STOP_TIMEOUT_MS = 10_000;

/** The core the servers run on; the load generator takes core 0. */
export const SERVER_CORE = 1;

export interface ServerFolders {
  templatesDir: string;
  servicesDir: string;
}

export interface StartOptions {
  kind: ServerKind;
  folders: ServerFolders;
  tlsCert: string;
  tlsKey: string;
  /** Folder for the server's log file and, with `cpuProfileDir`, its CPU profile. */
  workDir: string;
  goBinary: string;
  cpuProfileDir?: string;
  readyTimeoutMs: number;
}

export interface RunningServer {
  kind: ServerKind;
  port: number;
  pid: number;
  readyMs: number;
  /** performance.now() in this process when the server was spawned. */
  spawnedAt: number;
  logFile: string;
  stop(): Promise<void>;
}

/** True when `taskset` exists and the machine has a core for the servers besides core 0. */
export function canPin(): boolean {
  return cpus().length > SERVER_CORE && spawnSync('taskset', ['-V']).status === 0;
}

/** Pins every thread of this process (the load generator) to core 0. */
export function pinSelf(): void {
  spawnSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
}

/** Returns a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function commandFor(options: StartOptions, port: number, healthPort: number): string[] {
  const tls = ['--tls-cert', options.tlsCert, '--tls-key', options.tlsKey];
  const ports = ['--port', String(port), '--health-port', String(healthPort)];
  const { templatesDir, servicesDir } = options.folders;
  const sources = ['--templates-dir', templatesDir, '--services-dir', servicesDir];
  switch (options.kind) {
    case 'floor':
      return [
        process.execPath,
        '--import',
        'tsx',
        join(REPOSITORY, 'bench/floor-server.ts'),
        ...ports,
        ...tls,
      ];
    case 'webhook': {
      const profile = options.cpuProfileDir
        ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]
        : [];
      const cli = join(REPOSITORY, 'dist/src/cli.js');
      return [
        process.execPath,
        ...profile,
        cli,
        'serve',
        '--host',
        '127.0.0.1',
        ...ports,
        ...tls,
        ...sources,
      ];
    }
    case 'go':
      return [options.goBinary, '--host', '127.0.0.1', ...ports, ...tls, ...sources];
  }
}

function probeReady(healthPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(
      { host: '127.0.0.1', port: healthPort, path: '/readyz', timeout: 1000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.once('error', () => resolve(false));
    request.once('timeout', () => request.destroy());
  });
}

async function waitReady(
  child: ChildProcess,
  healthPort: number,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `server exited with code ${child.exitCode} before it was ready; see ${logFile}`,
      );
    }
    if (await probeReady(healthPort)) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  child.kill('SIGKILL');
  throw new Error(`server was not ready within ${timeoutMs} ms; see ${logFile}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts a server pinned to SERVER_CORE (when pinning is possible) and waits until it is ready. */
export async function startServer(options: StartOptions, pin: boolean): Promise<RunningServer> {
  const [port, healthPort] = [await freePort(), await freePort()];
  const command = commandFor(options, port, healthPort);
  const argv = pin ? ['taskset', '-c', String(SERVER_CORE), ...command] : command;
  const logFile = join(options.workDir, `${options.kind}-${port}.log`);
  const log = openSync(logFile, 'w');

  const started = performance.now();
  // taskset execs the server, so the child's pid is the server's.
  const child = spawn(argv[0], argv.slice(1), {
    cwd: REPOSITORY,
    stdio: ['ignore', log, log],
    env: { ...process.env, GOMAXPROCS: '1' },
  });
  await waitReady(child, healthPort, options.readyTimeoutMs, logFile);
  const readyMs = performance.now() - started;
  const pid = child.pid ?? 0;
  return {
    kind: options.kind,
    port,
    pid,
    readyMs,
    spawnedAt: started,
    logFile,
    stop: () => stopChild(child),
  };
}

/** Returns the peak resident set size of a process in bytes, or undefined off Linux. */
export function peakRss(pid: number): number | undefined {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * Resets the peak resident set size to the current one (Linux 4.0 and later),
 * so the next reading covers one scenario only. Returns false when it cannot.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
