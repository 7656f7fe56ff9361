// Formats the results of a run as Markdown: the machine and load, one table
// per phase, the webhook's ratios to the floor and to Go, the targets, and
// the CPU profile summaries.
import type { Measurement } from './phases.js';
import type { Results } from './plan.js';
import { formatSelfTimes } from './profile-summary.js';
import { costMicros, evaluateTargets, type TargetRow } from './targets.js';

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

function loadRow(m: Measurement, first: string[]): string[] {
  const { load } = m;
  const other = m.cpu ? Math.max(0, m.cpu.coreBusy - m.cpu.serverCpu) : undefined;
  const failures = load.errors + load.timeouts + load.non2xx + load.malformed;
  return [
    ...first,
    load.requestsPerSecond.toFixed(0),
    ms(load.p50),
    ms(load.p99),
    ms(load.p999),
    ms(load.max),
    megabytes(m.peakRssBytes),
    percent(m.cpu?.serverCpu),
    percent(other),
    percent(load.clientCpu),
    String(load.denied),
    String(failures),
  ];
}

const LOAD_HEADER = [
  'req/s',
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
  results: Results,
  phase: string,
  columns: string[],
  first: (m: Measurement) => string[],
): string {
  const rows = results.measurements
    .filter((m) => m.phase === phase)
    .map((m) => loadRow(m, first(m)));
  return rows.length === 0 ? '' : table([...columns, ...LOAD_HEADER], rows);
}

function ratioTable(results: Results): string {
  const main = results.measurements.filter((m) => m.phase === 'main');
  const rps = (scenario: string, server: string): number | undefined =>
    main.find((m) => m.scenario === scenario && m.server === server)?.load.requestsPerSecond;
  const scenarios = [...new Set(main.map((m) => m.scenario))];
  const rows = scenarios.map((scenario) => {
    const webhook = rps(scenario, 'webhook');
    const floor = rps(scenario, 'floor');
    const go = rps(scenario, 'go');
    const ratio = (other: number | undefined): string =>
      webhook === undefined || other === undefined ? '-' : (webhook / other).toFixed(2);
    return [scenario, ratio(floor), ratio(go)];
  });
  return table(['scenario', 'webhook / floor', 'webhook / Go'], rows);
}

function objectSizeTable(results: Results): string {
  const points = results.measurements.filter((m) => m.phase === 'object-size');
  if (points.length === 0) return '';
  const rows = points.map((m) => [
    m.scenario,
    m.server,
    m.reviewKib.toFixed(0),
    m.load.requestsPerSecond.toFixed(0),
    m.load.requests > 0 ? costMicros(m).toFixed(0) : '-',
    ms(m.load.p50),
    ms(m.load.p99),
    megabytes(m.peakRssBytes),
    String(m.load.denied),
  ]);
  return table(
    [
      'scenario',
      'server',
      'review KiB',
      'req/s',
      'server CPU µs per request',
      'p50 ms',
      'p99 ms',
      'peak RSS MB',
      'denied',
    ],
    rows,
  );
}

function startsTable(results: Results): string {
  const rows = results.starts.map((s) => [
    s.server,
    String(s.cached.templates),
    String(s.cached.services),
    (s.readyMs / 1000).toFixed(2),
    megabytes(s.peakRssBytes),
  ]);
  return table(['server', 'templates', 'services', 'ready s', 'peak RSS at ready MB'], rows);
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
      `fixed rate ${options.rate} req/s on ${options.rateConnections} connection(s)`,
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
  const targets = evaluateTargets(results).map((row) => [row.target, row.measured, verdict(row)]);
  const cached = (m: Measurement): string[] => [
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
  return [
    '# Benchmark results\n',
    section('Machine and load', machineSection(results)),
    section('Time to ready', startsTable(results)),
    section(
      'Scenarios',
      phaseTable(results, 'main', ['scenario', 'review KiB', 'server'], (m) => [
        m.scenario,
        m.reviewKib.toFixed(1),
        m.server,
      ]),
    ),
    section(
      'Ratios',
      results.measurements.some((m) => m.phase === 'main') ? ratioTable(results) : '',
    ),
    section(
      'Fixed rate',
      phaseTable(results, 'rate', ['scenario', 'server'], (m) => [m.scenario, m.server]),
    ),
    section('Object size', objectSizeTable(results)),
    section(
      'Cached services',
      phaseTable(results, 'services', ['scenario', 'templates', 'services', 'server'], cached),
    ),
    section(
      'Cached templates',
      phaseTable(results, 'templates', ['scenario', 'templates', 'services', 'server'], cached),
    ),
    section('Targets', table(['target', 'measured', 'verdict'], targets)),
    section('CPU profile of the webhook', profiles.join('\n')),
  ]
    .filter((part) => part !== '')
    .join('\n');
}
