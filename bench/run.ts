// Benchmark of the webhook over HTTPS keep-alive, side by side with the
// floor (bench/floor-server.ts) and a Go controller-runtime webhook
// (bench/go-webhook) in the same run. Each server runs in its own process on
// core 1 and autocannon runs in this process on core 0. Results go to
// results.json and results.md in the output folder; see docs/benchmarks.md.
//
// Usage: npm run bench -- [--tiny] [--duration S] [--phases main,rate,...]
//   (expects `npm run build` done; `--help` lists every flag)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport } from './report.js';
import { PHASES, runPhases, type Phase, type Results, type RunOptions } from './plan.js';
import { canPin, pinSelf, type ServerKind } from './servers.js';
import { loadAverages, machineInfo } from './system.js';
import { buildGoWebhook, cacheFolder, missingBuild, Workspace } from './workspace.js';

const HELP = `Usage: npm run bench -- [flags]

Flags:
  --tiny                    one scenario (a), 1 s, one connection, floor and webhook only
  --duration S              seconds measured per scenario and server (default 10)
  --warmup S                seconds of warm-up before each measurement (default 3)
  --connections N           keep-alive connections (default 10)
  --series-duration S       seconds measured per point of the growth series (default 5)
  --series-warmup S         warm-up seconds per point of the growth series (default 2)
  --rate N                  requests per second of the fixed-rate phase (default 1000)
  --rate-connections N      connections of the fixed-rate phase (default 1)
  --rounds N                repetitions of each measurement but the fixed-rate ones (default 2);
                            tables report the median
  --servers LIST            of floor, webhook, go (default all three)
  --phases LIST             of ${PHASES.join(', ')} (default all)
  --scenarios LIST          scenario ids of the main phase: a, b, c, c-uncached, d, e-mutate,
                            e-validate
  --out DIR                 folder for results.json and results.md (default under ${cacheFolder()})`;

function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
}

function readOptions(argv: string[]): RunOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      tiny: { type: 'boolean' },
      help: { type: 'boolean' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'series-duration': { type: 'string' },
      'series-warmup': { type: 'string' },
      rate: { type: 'string' },
      'rate-connections': { type: 'string' },
      rounds: { type: 'string' },
      servers: { type: 'string' },
      phases: { type: 'string' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.help) return undefined;
  const tiny = values.tiny === true;
  const number = (value: string | undefined, fallback: number): number =>
    value === undefined ? fallback : Number(value);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    durationSeconds: number(values.duration, tiny ? 1 : 10),
    warmupSeconds: number(values.warmup, tiny ? 0 : 3),
    connections: number(values.connections, tiny ? 1 : 10),
    seriesDurationSeconds: number(values['series-duration'], 5),
    seriesWarmupSeconds: number(values['series-warmup'], 2),
    rate: number(values.rate, 1000),
    rateConnections: number(values['rate-connections'], 1),
    rounds: number(values.rounds, tiny ? 1 : 2),
    servers: list(values.servers ?? (tiny ? 'floor,webhook' : 'floor,webhook,go')) as ServerKind[],
    phases: list(values.phases ?? (tiny ? 'main' : PHASES.join(','))) as Phase[],
    scenarios: list(values.scenarios ?? (tiny ? 'a' : undefined)),
    mainServices: tiny ? 10 : 10_000,
    outDir: values.out ?? join(cacheFolder(), `results-${stamp}`),
  };
}

function checkOptions(options: RunOptions): string | undefined {
  const unknownServer = options.servers.find((kind) => !['floor', 'webhook', 'go'].includes(kind));
  if (unknownServer)
    return `unknown server ${JSON.stringify(unknownServer)}; use floor, webhook or go`;
  const unknownPhase = options.phases.find((phase) => !PHASES.includes(phase));
  if (unknownPhase)
    return `unknown phase ${JSON.stringify(unknownPhase)}; use ${PHASES.join(', ')}`;
  const numbers = [
    options.durationSeconds,
    options.connections,
    options.rate,
    options.rateConnections,
  ];
  if (numbers.some((value) => !Number.isFinite(value) || value <= 0)) {
    return 'durations, connections and rates must be positive numbers';
  }
  return missingBuild();
}

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv);
  if (options === undefined) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const problem = checkOptions(options);
  if (problem !== undefined) {
    process.stderr.write(`bench: ${problem}\n`);
    return 2;
  }

  const goBinary = options.servers.includes('go') ? await buildGoWebhook() : undefined;
  if (options.servers.includes('go') && goBinary === undefined) {
    process.stderr.write('bench: Go is not installed, so the Go webhook is left out\n');
    options.servers = options.servers.filter((kind) => kind !== 'go');
  }
  const pin = canPin();
  if (pin) pinSelf();
  else process.stderr.write('bench: taskset or a second core is missing, so nothing is pinned\n');

  const workspace = await Workspace.create();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    pinned: pin,
    loadBefore: loadAverages(),
    options,
    measurements: [],
    starts: [],
    profiles: [],
  };
  try {
    await runPhases(options, results, { workspace, goBinary, pin }, (line) =>
      process.stderr.write(`${line}\n`),
    );
  } finally {
    await workspace.remove();
  }
  results.loadAfter = loadAverages();
  results.finishedAt = new Date().toISOString();

  await mkdir(options.outDir, { recursive: true });
  const report = formatReport(results);
  await writeFile(join(options.outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(options.outDir, 'results.md'), report);
  process.stdout.write(`${report}\nResults: ${options.outDir}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
