// Summarizes a V8 CPU profile (the .cpuprofile that `node --cpu-prof`
// writes) by self time: the time of the samples taken while a function was on
// top of the stack, added up per function and per source file.
//
// Usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--skip-ms MS]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The fields of the Chrome DevTools CPU profile format that self time needs. */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the profiler's clock when profiling started. */
  startTime: number;
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  /** Source file relative to the repository, with the 1-based line for functions. */
  location: string;
  selfMs: number;
  /** Share of the sampled time outside `(idle)`, 0 to 1. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: SelfTimeRow[];
  files: SelfTimeRow[];
}

const REPOSITORY_URL = new URL('../', import.meta.url).href;
const IDLE = '(idle)';

function shortLocation(url: string): string {
  if (url === '') return '';
  if (url.startsWith(REPOSITORY_URL)) return url.slice(REPOSITORY_URL.length);
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function topRows(
  times: Map<string, { name: string; location: string; micros: number }>,
  totalMicros: number,
  count: number,
): SelfTimeRow[] {
  return [...times.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, count)
    .map((row) => ({
      name: row.name,
      location: row.location,
      selfMs: row.micros / 1000,
      share: row.micros / Math.max(1, totalMicros),
    }));
}

/**
 * Returns the `count` largest self times by function and by file, idle time
 * left out, from the samples taken `skipMs` or more after profiling started.
 */
export function summarizeProfile(profile: CpuProfile, count: number, skipMs = 0): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, { name: string; location: string; micros: number }>();
  const byFile = new Map<string, { name: string; location: string; micros: number }>();
  let totalMicros = 0;
  let elapsedMicros = 0;

  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    const micros = profile.timeDeltas[index] ?? 0;
    elapsedMicros += micros;
    if (elapsedMicros < skipMs * 1000) return;
    if (!frame || frame.functionName === IDLE) return;
    totalMicros += micros;

    const file = shortLocation(frame.url);
    const name = frame.functionName || '(anonymous)';
    const location = file === '' ? '' : `${file}:${frame.lineNumber + 1}`;
    const functionKey = `${name}@${location}`;
    const functionRow = byFunction.get(functionKey) ?? { name, location, micros: 0 };
    functionRow.micros += micros;
    byFunction.set(functionKey, functionRow);

    const fileKey = file === '' ? name : file;
    const fileRow = byFile.get(fileKey) ?? { name: fileKey, location: file, micros: 0 };
    fileRow.micros += micros;
    byFile.set(fileKey, fileRow);
  });

  return {
    totalMs: totalMicros / 1000,
    functions: topRows(byFunction, totalMicros, count),
    files: topRows(byFile, totalMicros, count),
  };
}

/** Formats rows as a Markdown table. */
export function formatSelfTimes(rows: readonly SelfTimeRow[], heading: string): string {
  const lines = [`| ${heading} | where | self ms | share |`, '|---|---|---:|---:|'];
  for (const row of rows) {
    const where = row.location === '' ? '' : `\`${row.location}\``;
    lines.push(
      `| \`${row.name}\` | ${where} | ${row.selfMs.toFixed(0)} | ${(row.share * 100).toFixed(1)}% |`,
    );
  }
  return lines.join('\n');
}

function main(argv: string[]): void {
  const file = argv[0];
  if (file === undefined || file.startsWith('-')) {
    process.stderr.write(
      'usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--skip-ms MS]\n',
    );
    process.exit(2);
  }
  const flag = (name: string, fallback: number): number => {
    const index = argv.indexOf(name);
    return index === -1 ? fallback : Number(argv[index + 1]);
  };
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, flag('--top', 25), flag('--skip-ms', 0));
  process.stdout.write(`Sampled time outside (idle): ${summary.totalMs.toFixed(0)} ms\n\n`);
  process.stdout.write(`${formatSelfTimes(summary.functions, 'function')}\n\n`);
  process.stdout.write(`${formatSelfTimes(summary.files, 'file')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
