// Child processes of an end-to-end run: started with their output in log
// files, stopped with SIGTERM and then SIGKILL, and killed on any exit of
// the test process, so no etcd or apiserver outlives a failed run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

/**
 * Kills every child when this process exits, on SIGINT or SIGTERM (whose
 * default action skips 'exit' handlers), and on SIGALRM, which tap 21 sends
 * to a test file that ran out of time before it kills it outright.
 */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = (): void => {
    for (const child of running) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  process.on('SIGALRM', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Returns a port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One child process with its output in a log file. */
export class Managed {
  /** Rejects if the process exits before `stop` is called. */
  readonly exited: Promise<never>;
  private stopping = false;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise<never>((_resolve, reject) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        if (!this.stopping)
          reject(
            new Error(`${name} exited early (code ${code}, signal ${signal}); see ${logFile}`),
          );
      });
      child.on('error', (error) => reject(new Error(`${name} failed to start: ${error.message}`)));
    });
    this.exited.catch(() => undefined);
  }

  /** Sends SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  }
}

export class ProcessGroup {
  private readonly processes: Managed[] = [];

  constructor(private readonly logDirectory: string) {}

  start(
    name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = process.env,
  ): Managed {
    installCleanup();
    const logFile = join(this.logDirectory, `${name}.log`);
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    running.add(child);
    const managed = new Managed(name, child, logFile);
    this.processes.push(managed);
    return managed;
  }

  /** Stops every process, newest first, so the webhook goes before the apiserver and etcd last. */
  async stopAll(graceMs = 10_000): Promise<void> {
    for (const managed of this.processes.reverse()) await managed.stop(graceMs);
    this.processes.length = 0;
  }
}

/** Returns the last lines of a log file, for failure messages. */
export async function logTail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/**
 * Polls `probe` until it returns true. Rejects after `timeoutMs`, or as soon
 * as `process` exits, whichever comes first.
 */
export async function waitUntil(
  description: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  process?: Managed,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const poll = async (): Promise<void> => {
    while (Date.now() < deadline) {
      if (await probe().catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const tail = process ? `\n${await logTail(process.logFile)}` : '';
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${tail}`);
  };
  if (!process) {
    await poll();
    return;
  }
  const exited = process.exited.catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await logTail(process.logFile)}`);
  });
  await Promise.race([poll(), exited]);
}
