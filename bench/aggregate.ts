// Combines the rounds of one measurement point into one row: the median
// throughput, the latencies of the median round, and the median capacity,
// which is requests per second of the server's own CPU time. Capacity is what
// a server would serve with a whole core, so it compares servers fairly when
// other processes take part of the core, as they do on a shared machine.
import type { Measurement } from './phases.js';

export interface Point {
  /** The round whose throughput is the median; its latencies are reported. */
  median: Measurement;
  rounds: number;
  requestsPerSecond: number;
  /** Requests per second of server CPU time; undefined without CPU figures. */
  capacity?: number;
  /** Server CPU microseconds per request, the inverse of capacity. */
  costMicros?: number;
  peakRssBytes?: number;
  denied: number;
  failed: number;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function capacityOf(m: Measurement): number | undefined {
  const share = m.cpu?.serverCpu;
  if (share === undefined || share <= 0 || m.load.requests === 0) return undefined;
  return m.load.requestsPerSecond / share;
}

function keyOf(m: Measurement): string {
  return [m.phase, m.scenario, m.server, m.cached.templates, m.cached.services].join('|');
}

function combine(rounds: Measurement[]): Point {
  const byThroughput = [...rounds].sort(
    (a, b) => a.load.requestsPerSecond - b.load.requestsPerSecond,
  );
  const capacities = rounds.map(capacityOf).filter((value): value is number => value !== undefined);
  const capacity = capacities.length > 0 ? medianOf(capacities) : undefined;
  const peaks = rounds
    .map((m) => m.peakRssBytes)
    .filter((value): value is number => value !== undefined);
  const sum = (pick: (m: Measurement) => number): number =>
    rounds.reduce((total, m) => total + pick(m), 0);
  return {
    median: byThroughput[Math.floor((byThroughput.length - 1) / 2)],
    rounds: rounds.length,
    requestsPerSecond: medianOf(rounds.map((m) => m.load.requestsPerSecond)),
    capacity,
    costMicros: capacity === undefined ? undefined : 1e6 / capacity,
    peakRssBytes: peaks.length > 0 ? Math.max(...peaks) : undefined,
    denied: sum((m) => m.load.denied),
    failed: sum((m) => m.load.errors + m.load.timeouts + m.load.non2xx + m.load.malformed),
  };
}

/** Groups measurements by phase, scenario, server and cache, in first-seen order. */
export function aggregate(measurements: readonly Measurement[]): Point[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = keyOf(m);
    const group = groups.get(key) ?? [];
    group.push(m);
    groups.set(key, group);
  }
  return [...groups.values()].map(combine);
}

/** Returns the points of one phase, optionally of one scenario and server. */
export function pointsOf(
  points: readonly Point[],
  phase: string,
  scenario?: string,
  server?: string,
): Point[] {
  return points.filter(
    (p) =>
      p.median.phase === phase &&
      (scenario === undefined || p.median.scenario === scenario) &&
      (server === undefined || p.median.server === server),
  );
}
