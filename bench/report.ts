// Formats the results of a run as Markdown: the machine and load, one table
// per phase, the webhook's ratios to the floor and to Go, the targets, and
// the CPU profile summaries.
import type { Measurement } from './phases.js';
import type { Results } from './plan.js';
import { formatSelfTimes } from './profile-summary.js';
import { evaluateTargets, type TargetRow } from './targets.js';
import { aggregate, pointsOf, type Point } from './aggregate.js';

const MB = 1e6;

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '-';
}

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(0)}%`;
}

function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '-' : (bytes / MB).toFixed(0);
}

function table(header: string[], rows: string[][]): string {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Formats one measurement as a line of progress output. */
export function formatMeasurement(m: Measurement): string {
  const { load } = m;
  const failures = load.errors + load.timeouts + load.non2xx + load.malformed;
  return (
    `${m.phase} ${m.scenario} ${m.server} (${m.cached.templates} templates, ${m.cached.services} services): ` +
    `${load.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(load.p50)} ms, p99 ${ms(load.p99)} ms, ` +
    `p99.9 ${ms(load.p999)} ms, max ${ms(load.max)} ms, peak RSS ${megabytes(m.peakRssBytes)} MB, ` +
    `${load.denied} denied` +
    (failures > 0 ? `, ${failures} failed responses` : '')
  );
}

function loadRow(point: Point, first: string[]): string[] {
  const m = point.median;
  const { load } = m;
  const other = m.cpu ? Math.max(0, m.cpu.coreBusy - m.cpu.serverCpu) : undefined;
  return [
    ...first,
    point.requestsPerSecond.toFixed(0),
    point.capacity === undefined ? '-' : point.capacity.toFixed(0),
    ms(load.p50),
    ms(load.p99),
    ms(load.p999),
    ms(load.max),
    megabytes(point.peakRssBytes),
    percent(m.cpu?.serverCpu),
    percent(other),
    percent(load.clientCpu),
    String(point.denied),
    String(point.failed),
  ];
}

const LOAD_HEADER = [
  'req/s',
  'req per CPU-s',
  'p50 ms',
  'p99 ms',
  'p99.9 ms',
  'max ms',
  'peak RSS MB',
  'server CPU',
  'other CPU on core 1',
  'client CPU',
  'denied',
  'failed',
];

function phaseTable(
  points: Point[],
  phase: string,
  columns: string[],
  first: (m: Measurement) => string[],
): string {
  const rows = pointsOf(points, phase).map((point) => loadRow(point, first(point.median)));
  return rows.length === 0 ? '' : table([...columns, ...LOAD_HEADER], rows);
}

function ratioTable(points: Point[]): string {
  const main = pointsOf(points, 'main');
  const find = (scenario: string, server: string): Point | undefined =>
    main.find((p) => p.median.scenario === scenario && p.median.server === server);
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined ? '-' : (a / b).toFixed(2);
  const scenarios = [...new Set(main.map((p) => p.median.scenario))];
  const rows = scenarios.map((scenario) => {
    const webhook = find(scenario, 'webhook');
    const floor = find(scenario, 'floor');
    const go = find(scenario, 'go');
    return [
      scenario,
      ratio(webhook?.capacity, floor?.capacity),
      ratio(webhook?.capacity, go?.capacity),
      ratio(webhook?.requestsPerSecond, floor?.requestsPerSecond),
      ratio(webhook?.requestsPerSecond, go?.requestsPerSecond),
    ];
  });
  const header = [
    'scenario',
    'capacity: webhook / floor',
    'webhook / Go',
    'req/s: webhook / floor',
    'webhook / Go',
  ];
  return table(header, rows);
}

function objectSizeTable(points: Point[]): string {
  const rows = pointsOf(points, 'object-size').map((point) => [
    point.median.scenario,
    point.median.server,
    point.median.reviewKib.toFixed(0),
    point.requestsPerSecond.toFixed(0),
    point.costMicros === undefined ? '-' : point.costMicros.toFixed(0),
    ms(point.median.load.p50),
    ms(point.median.load.p99),
    megabytes(point.peakRssBytes),
    String(point.denied),
  ]);
  const header = [
    'scenario',
    'server',
    'review KiB',
    'req/s',
    'CPU µs per request',
    'p50 ms',
    'p99 ms',
    'peak RSS MB',
    'denied',
  ];
  return rows.length === 0 ? '' : table(header, rows);
}

function startsTable(results: Results): string {
  const rows = results.starts.map((s) => [
    s.server,
    String(s.cached.templates),
    String(s.cached.services),
    s.cached.serviceFormat ?? 'json',
    (s.readyMs / 1000).toFixed(2),
    megabytes(s.peakRssBytes),
  ]);
  const header = ['server', 'templates', 'services', 'service files', 'ready s'];
  return table([...header, 'peak RSS at ready MB'], rows);
}

function machineSection(results: Results): string {
  const { machine, options } = results;
  return [
    `- Run: ${results.startedAt} to ${results.finishedAt ?? '?'}`,
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${(machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, Linux ${machine.kernel}`,
    `- Node ${machine.node}, ${machine.go ?? 'Go not installed'}, autocannon ${machine.autocannon}`,
    `- Pinning: ${results.pinned ? 'servers on core 1 (taskset), load generator on core 0' : 'none'}`,
    `- Load averages (1, 5, 15 min): ${results.loadBefore.join(', ')} before, ${results.loadAfter?.join(', ') ?? '?'} after`,
    `- Load: ${options.connections} connections, ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s measured; ` +
      `series ${options.seriesWarmupSeconds} s + ${options.seriesDurationSeconds} s; ` +
      `fixed rate ${options.rate} req/s on ${options.rateConnections} connection(s); ` +
      `${options.rounds} round(s) of each other measurement, median reported`,
  ].join('\n');
}

function section(title: string, body: string): string {
  return body === '' ? '' : `## ${title}\n\n${body}\n`;
}

function verdict(row: TargetRow): string {
  if (row.met === undefined) return 'not measured';
  return row.met ? 'met' : 'missed';
}

export function formatReport(results: Results): string {
  const points = aggregate(results.measurements);
  const targets = evaluateTargets(results).map((row) => [row.target, row.measured, verdict(row)]);
  const scenarioColumns = (m: Measurement): string[] => [
    m.scenario,
    m.reviewKib.toFixed(1),
    m.server,
  ];
  const cacheColumns = (m: Measurement): string[] => [
    m.scenario,
    String(m.cached.templates),
    String(m.cached.services),
    m.server,
  ];
  const profiles = results.profiles.map(
    (p) =>
      `Scenario ${p.scenario}, ${p.summary.totalMs.toFixed(0)} ms sampled outside idle:\n\n` +
      `${formatSelfTimes(p.summary.functions, 'function')}\n\n${formatSelfTimes(p.summary.files, 'file')}\n`,
  );
  const hasMain = pointsOf(points, 'main').length > 0;
  const cacheHeader = ['scenario', 'templates', 'services', 'server'];
  return [
    '# Benchmark results\n',
    section('Machine and load', machineSection(results)),
    section('Time to ready', startsTable(results)),
    section(
      'Scenarios',
      phaseTable(points, 'main', ['scenario', 'review KiB', 'server'], scenarioColumns),
    ),
    section('Ratios', hasMain ? ratioTable(points) : ''),
    section(
      'Fixed rate',
      phaseTable(points, 'rate', ['scenario', 'server'], (m) => [m.scenario, m.server]),
    ),
    section('Object size', objectSizeTable(points)),
    section('Cached services', phaseTable(points, 'services', cacheHeader, cacheColumns)),
    section('Cached templates', phaseTable(points, 'templates', cacheHeader, cacheColumns)),
    section('Targets', table(['target', 'measured', 'verdict'], targets)),
    section('CPU profile of the webhook', profiles.join('\n')),
  ]
    .filter((part) => part !== '')
    .join('\n');
}
