// The machine and its load. CPU model, cores, memory and tool versions go
// into the record. Per-core and per-process CPU times from /proc show how
// much of the server's core went to other processes during a measurement.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  kernel: string;
  node: string;
  go?: string;
  autocannon: string;
}

function commandOutput(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function packageVersion(name: string): string {
  const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function machineInfo(): MachineInfo {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cores: cpus().length,
    cpuModel: model.trim(),
    memoryBytes: totalmem(),
    kernel: release(),
    node: process.version,
    go: commandOutput('go', ['version']),
    autocannon: packageVersion('autocannon'),
  };
}

/** Returns the 1-, 5- and 15-minute load averages. */
export function loadAverages(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

const CLOCK_TICKS = Number(commandOutput('getconf', ['CLK_TCK']) ?? '100');

interface CoreTimes {
  busy: number;
  total: number;
}

/** Busy and total clock ticks per core, from /proc/stat; empty off Linux. */
export function coreTimes(): CoreTimes[] {
  if (!existsSync('/proc/stat')) return [];
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  return lines
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const fields = line.trim().split(/\s+/).slice(1).map(Number);
      const idle = fields[3] + (fields[4] ?? 0);
      const total = fields.reduce((sum, value) => sum + value, 0);
      return { busy: total - idle, total };
    });
}

/** User plus system CPU seconds of a process so far, from /proc/PID/stat. */
export function processCpuSeconds(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface CpuWindow {
  /** Share of the server's core that was busy, 0 to 1. */
  coreBusy: number;
  /** Share of that core that the server itself used. */
  serverCpu: number;
}

/** Starts a window over the CPU time of one core and one process; `end()` returns the shares. */
export function cpuWindow(core: number, pid: number): { end(): CpuWindow | undefined } {
  const before = coreTimes()[core];
  const serverBefore = processCpuSeconds(pid);
  const started = performance.now();
  return {
    end(): CpuWindow | undefined {
      const after = coreTimes()[core];
      const serverAfter = processCpuSeconds(pid);
      if (!before || !after || serverBefore === undefined || serverAfter === undefined)
        return undefined;
      const seconds = (performance.now() - started) / 1000;
      return {
        coreBusy: (after.busy - before.busy) / Math.max(1, after.total - before.total),
        serverCpu: (serverAfter - serverBefore) / seconds,
      };
    },
  };
}
