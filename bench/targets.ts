// The performance targets of the webhook, each judged from the measurements
// of one run. A target whose measurements are missing (a phase or server
// left out) is reported as not measured.
import type { Measurement, ServerStart } from './phases.js';
import type { Results } from './plan.js';
import { OBJECT_SIZES_KIB } from './scenarios.js';

export interface TargetRow {
  target: string;
  measured: string;
  /** Undefined when the run has no measurement for it. */
  met?: boolean;
}

const MB = 1e6;

function find(results: Results, phase: string, scenario: string, server: string): Measurement[] {
  return results.measurements.filter(
    (m) => m.phase === phase && m.scenario === scenario && m.server === server,
  );
}

function one(
  results: Results,
  phase: string,
  scenario: string,
  server: string,
): Measurement | undefined {
  return find(results, phase, scenario, server)[0];
}

/** Server CPU microseconds per request, or wall time per request when CPU time is unknown. */
export function costMicros(m: Measurement): number {
  const share = m.cpu?.serverCpu ?? 1;
  return (share * 1e6) / m.load.requestsPerSecond;
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

function shareOfFloor(
  results: Results,
  scenario: string,
  minimum: number,
  label: string,
): TargetRow {
  const webhook = one(results, 'main', scenario, 'webhook');
  const floor = one(results, 'main', scenario, 'floor');
  const target = `${label}: at least ${minimum * 100}% of the floor's throughput`;
  if (!webhook || !floor) return { target, measured: 'not measured' };
  const share = webhook.load.requestsPerSecond / floor.load.requestsPerSecond;
  const measured = `${(share * 100).toFixed(0)}% (${rps(webhook)} of ${rps(floor)} req/s)`;
  return { target, measured, met: share >= minimum };
}

function rps(m: Measurement): string {
  return m.load.requestsPerSecond.toFixed(0);
}

function againstGo(results: Results): TargetRow[] {
  const webhooks = results.measurements.filter((m) => m.phase === 'main' && m.server === 'webhook');
  return webhooks.map((webhook) => {
    const go = one(results, 'main', webhook.scenario, 'go');
    const target = `scenario ${webhook.scenario}: at least the Go webhook's throughput on one core`;
    if (!go) return { target, measured: 'not measured' };
    const ratio = webhook.load.requestsPerSecond / go.load.requestsPerSecond;
    return {
      target,
      measured: `${ratio.toFixed(2)}x (${rps(webhook)} vs ${rps(go)} req/s)`,
      met: ratio >= 1,
    };
  });
}

function atFixedRate(results: Results): TargetRow[] {
  const rated = results.measurements.filter((m) => m.phase === 'rate' && m.server === 'webhook');
  return rated.map((m) => {
    const rate = m.settings.overallRate ?? 0;
    const target = `scenario ${m.scenario} at ${rate} req/s: p99 under 2 ms and p99.9 under 5 ms`;
    const measured = `p99 ${m.load.p99.toFixed(2)} ms, p99.9 ${m.load.p999.toFixed(2)} ms`;
    return { target, measured, met: m.load.p99 < 2 && m.load.p999 < 5 };
  });
}

function peakRssWithManyTemplates(results: Results): TargetRow {
  const target = 'peak RSS under 100 MB with 1,000 templates and 10,000 services cached';
  const cachedMatch = (cached: { templates: number; services: number }): boolean =>
    cached.templates === 1000 && cached.services === 10_000;
  const peaks = [
    ...results.measurements
      .filter((m) => m.server === 'webhook' && cachedMatch(m.cached))
      .map((m) => m.peakRssBytes),
    ...results.starts
      .filter((s: ServerStart) => s.server === 'webhook' && cachedMatch(s.cached))
      .map((s) => s.peakRssBytes),
  ].filter((value): value is number => value !== undefined);
  if (peaks.length === 0) return { target, measured: 'not measured' };
  const peak = Math.max(...peaks);
  return { target, measured: `${(peak / MB).toFixed(0)} MB`, met: peak < 100 * MB };
}

function flatOverServices(results: Results): TargetRow[] {
  return ['c', 'd'].map((scenario) => {
    const points = find(results, 'services', scenario, 'webhook').sort(
      (a, b) => a.cached.services - b.cached.services,
    );
    const target = `scenario ${scenario}: latency within 10% from 10 to 100,000 cached services`;
    const first = points[0];
    const last = points[points.length - 1];
    if (!first || !last || first === last) return { target, measured: 'not measured' };
    const change = last.load.p50 / first.load.p50 - 1;
    const measured = `p50 ${first.load.p50.toFixed(2)} ms at ${first.cached.services}, ${last.load.p50.toFixed(2)} ms at ${last.cached.services} (${(change * 100).toFixed(0)}%)`;
    return { target, measured, met: Math.abs(change) <= 0.1 };
  });
}

function costPerKib(results: Results): TargetRow[] {
  return ['mutate', 'validate'].map((verb) => {
    const points = OBJECT_SIZES_KIB.map((kib) =>
      one(results, 'object-size', `${verb}-${kib}KiB`, 'webhook'),
    )
      .filter((m): m is Measurement => m !== undefined)
      .map((m): [number, number] => [m.reviewKib, costMicros(m)]);
    const target = `${verb}: cost growing no faster than 8 µs per KB of object`;
    if (points.length < 2) return { target, measured: 'not measured' };
    const perKib = slope(points);
    return {
      target,
      measured: `${perKib.toFixed(1)} µs per KiB of review`,
      met: perKib * (1000 / 1024) <= 8,
    };
  });
}

function readyTime(results: Results): TargetRow {
  const target = 'ready within 2 s of start (10 templates, 10,000 services)';
  const start = results.starts.find(
    (s) => s.server === 'webhook' && s.cached.templates === 10 && s.cached.services === 10_000,
  );
  if (!start) return { target, measured: 'not measured' };
  return { target, measured: `${(start.readyMs / 1000).toFixed(2)} s`, met: start.readyMs <= 2000 };
}

export function evaluateTargets(results: Results): TargetRow[] {
  return [
    shareOfFloor(results, 'c', 0.6, 'validate, ~10 KB review (c)'),
    shareOfFloor(results, 'b', 0.4, 'mutate, two template references (b)'),
    ...againstGo(results),
    ...atFixedRate(results),
    peakRssWithManyTemplates(results),
    ...flatOverServices(results),
    ...costPerKib(results),
    readyTime(results),
  ];
}
