// The performance targets of the webhook, each judged from the aggregated
// measurements of one run. Throughput targets compare capacity (requests per
// second of the server's own CPU time, see aggregate.ts), because other
// processes shared the servers' core. A target whose measurements are missing
// (a phase or server left out) is reported as not measured.
import { aggregate, pointsOf, type Point } from './aggregate.js';
import type { ServiceFormat } from './fixtures.js';
import type { Results } from './plan.js';

export interface TargetRow {
  target: string;
  measured: string;
  /** Undefined when the run has no measurement for it. */
  met?: boolean;
}

const MB = 1e6;
/** A fixed-rate run that reached less than this share of its rate did not hold the rate. */
const RATE_HELD = 0.95;

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

function describeRatio(webhook: Point, other: Point, name: string): string {
  const capacity = (webhook.capacity ?? Number.NaN) / (other.capacity ?? Number.NaN);
  const throughput = webhook.requestsPerSecond / other.requestsPerSecond;
  return (
    `${capacity.toFixed(2)}x the ${name}'s capacity ` +
    `(${webhook.capacity?.toFixed(0)} vs ${other.capacity?.toFixed(0)} req per CPU-second); ` +
    `${throughput.toFixed(2)}x its req/s`
  );
}

function shareOfFloor(
  points: Point[],
  scenario: string,
  minimum: number,
  label: string,
): TargetRow {
  const target = `${label}: at least ${minimum * 100}% of the floor's throughput`;
  const [webhook] = pointsOf(points, 'main', scenario, 'webhook');
  const [floor] = pointsOf(points, 'main', scenario, 'floor');
  if (!webhook?.capacity || !floor?.capacity) return { target, measured: 'not measured' };
  const share = webhook.capacity / floor.capacity;
  return { target, measured: describeRatio(webhook, floor, 'floor'), met: share >= minimum };
}

function againstGo(points: Point[]): TargetRow[] {
  return pointsOf(points, 'main', undefined, 'webhook').map((webhook) => {
    const scenario = webhook.median.scenario;
    const target = `scenario ${scenario}: at least the Go webhook's throughput on one core`;
    const [go] = pointsOf(points, 'main', scenario, 'go');
    if (!webhook.capacity || !go?.capacity) return { target, measured: 'not measured' };
    return {
      target,
      measured: describeRatio(webhook, go, 'Go webhook'),
      met: webhook.capacity >= go.capacity,
    };
  });
}

function atFixedRate(points: Point[]): TargetRow[] {
  return pointsOf(points, 'rate', undefined, 'webhook').map(({ median }) => {
    const rate = median.settings.overallRate ?? 0;
    const target = `scenario ${median.scenario} at ${rate} req/s: p99 under 2 ms and p99.9 under 5 ms`;
    const reached = median.load.requestsPerSecond;
    const rateHeld = reached >= rate * RATE_HELD;
    const measured =
      `p99 ${median.load.p99.toFixed(2)} ms, p99.9 ${median.load.p999.toFixed(2)} ms` +
      (rateHeld ? '' : ` (reached only ${reached.toFixed(0)} req/s)`);
    return { target, measured, met: rateHeld && median.load.p99 < 2 && median.load.p999 < 5 };
  });
}

function peakRssWithManyTemplates(results: Results, points: Point[]): TargetRow {
  const target = 'peak RSS under 100 MB with 1,000 templates and 10,000 services cached';
  const matches = (cached: { templates: number; services: number }): boolean =>
    cached.templates === 1000 && cached.services === 10_000;
  const peaks = [
    ...points
      .filter((p) => p.median.server === 'webhook' && matches(p.median.cached))
      .map((p) => p.peakRssBytes),
    ...results.starts
      .filter((s) => s.server === 'webhook' && matches(s.cached))
      .map((s) => s.peakRssBytes),
  ].filter((value): value is number => value !== undefined);
  if (peaks.length === 0) return { target, measured: 'not measured' };
  const peak = Math.max(...peaks);
  return { target, measured: `${(peak / MB).toFixed(0)} MB`, met: peak < 100 * MB };
}

function flatOverServices(points: Point[]): TargetRow[] {
  return ['c', 'd'].map((scenario) => {
    const series = pointsOf(points, 'services', scenario, 'webhook').sort(
      (a, b) => a.median.cached.services - b.median.cached.services,
    );
    const target = `scenario ${scenario}: latency within 10% from 10 to 100,000 cached services`;
    const first = series[0];
    const last = series[series.length - 1];
    if (!first?.costMicros || !last?.costMicros || first === last)
      return { target, measured: 'not measured' };
    const change = last.costMicros / first.costMicros - 1;
    const measured =
      `${first.costMicros.toFixed(0)} µs of CPU per request at ${first.median.cached.services}, ` +
      `${last.costMicros.toFixed(0)} µs at ${last.median.cached.services} (${(change * 100).toFixed(0)}%)`;
    return { target, measured, met: Math.abs(change) <= 0.1 };
  });
}

function costPerKib(points: Point[]): TargetRow[] {
  return ['mutate', 'validate'].map((verb) => {
    const series = pointsOf(points, 'object-size', undefined, 'webhook')
      .filter((p) => p.median.scenario.startsWith(`${verb}-`) && p.costMicros !== undefined)
      .map((p): [number, number] => [p.median.reviewKib, p.costMicros as number]);
    const target = `${verb}: cost growing no faster than 8 µs per KB of object`;
    if (series.length < 2) return { target, measured: 'not measured' };
    const perKib = slope(series);
    const measured = `${perKib.toFixed(1)} µs of CPU per KiB of review (least squares over ${series.length} sizes)`;
    return { target, measured, met: perKib * (1000 / 1024) <= 8 };
  });
}

function readyTime(results: Results, format: ServiceFormat): TargetRow {
  const target = `ready within 2 s of start (10 templates, 10,000 services in ${format.toUpperCase()} files)`;
  const times = results.starts
    .filter(
      (s) =>
        s.server === 'webhook' &&
        s.cached.templates === 10 &&
        s.cached.services === 10_000 &&
        (s.cached.serviceFormat ?? 'json') === format,
    )
    .map((s) => s.readyMs)
    .sort((a, b) => a - b);
  if (times.length === 0) return { target, measured: 'not measured' };
  const median = times[Math.floor((times.length - 1) / 2)];
  const measured = `${(median / 1000).toFixed(2)} s (median of ${times.length} starts)`;
  return { target, measured, met: median <= 2000 };
}

export function evaluateTargets(results: Results): TargetRow[] {
  const points = aggregate(results.measurements);
  return [
    shareOfFloor(points, 'c', 0.6, 'validate, ~10 KB review (c)'),
    shareOfFloor(
      points,
      'c-uncached',
      0.6,
      'validate, ~10 KB review, every one rendered (c-uncached)',
    ),
    shareOfFloor(points, 'b', 0.4, 'mutate, two template references (b)'),
    ...againstGo(points),
    ...atFixedRate(points),
    peakRssWithManyTemplates(results, points),
    ...flatOverServices(points),
    ...costPerKib(points),
    readyTime(results, 'json'),
    readyTime(results, 'yaml'),
  ];
}
