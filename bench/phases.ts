// Starting servers and measuring them. Servers start one after another, so
// no start shares the core with another. Scenarios are measured with the
// servers interleaved, so drift in the machine's load falls on all of them.
import { measure, type LoadResult } from './load.js';
import type { Scenario } from './scenarios.js';
import { reviewKib } from './scenarios.js';
import {
  peakRss,
  resetPeakRss,
  SERVER_CORE,
  startServer,
  type RunningServer,
  type ServerKind,
} from './servers.js';
import { cpuWindow, type CpuWindow } from './system.js';
import type { Workspace } from './workspace.js';
import type { ServiceFormat } from './fixtures.js';

export type PhaseName = 'main' | 'rate' | 'object-size' | 'services' | 'templates' | 'profile';

export interface Cached {
  templates: number;
  services: number;
  /** The format of the service files; JSON unless set. */
  serviceFormat?: ServiceFormat;
}

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  overallRate?: number;
}

export interface Measurement {
  phase: PhaseName;
  scenario: string;
  title: string;
  reviewKib: number;
  server: ServerKind;
  cached: Cached;
  settings: LoadSettings;
  load: LoadResult;
  /** Peak RSS during this measurement, or since start when `rssSinceStart`. */
  peakRssBytes?: number;
  rssSinceStart: boolean;
  cpu?: CpuWindow;
}

export interface ServerStart {
  server: ServerKind;
  cached: Cached;
  readyMs: number;
  /** Peak RSS from start to ready. */
  peakRssBytes?: number;
}

export interface RunContext {
  workspace: Workspace;
  pin: boolean;
  goBinary?: string;
  readyTimeoutMs: number;
  measurements: Measurement[];
  starts: ServerStart[];
  /** Called after each measurement, for progress output. */
  onMeasurement(measurement: Measurement): void;
}

/** A server started for one cache configuration. */
export interface Fleet {
  cached: Cached;
  servers: RunningServer[];
}

/** Starts the servers of each kind for a cache configuration, one at a time. */
export async function startFleet(
  context: RunContext,
  kinds: readonly ServerKind[],
  cached: Cached,
  cpuProfileDir?: string,
): Promise<Fleet> {
  const folders = await context.workspace.serverFolders(
    cached.templates,
    cached.services,
    cached.serviceFormat ?? 'json',
  );
  const servers: RunningServer[] = [];
  for (const kind of kinds) {
    const server = await startServer(
      {
        kind,
        folders,
        tlsCert: context.workspace.tlsCert,
        tlsKey: context.workspace.tlsKey,
        workDir: context.workspace.root,
        goBinary: context.goBinary ?? '',
        cpuProfileDir,
        readyTimeoutMs: context.readyTimeoutMs,
      },
      context.pin,
    );
    servers.push(server);
    context.starts.push({
      server: kind,
      cached,
      readyMs: server.readyMs,
      peakRssBytes: peakRss(server.pid),
    });
  }
  return { cached, servers };
}

export async function stopFleets(fleets: readonly Fleet[]): Promise<void> {
  for (const fleet of fleets) {
    for (const server of fleet.servers) await server.stop();
  }
}

export function urlOf(port: number, scenario: Scenario): string {
  return `https://127.0.0.1:${port}${scenario.path}`;
}

async function measureOne(
  context: RunContext,
  phase: PhaseName,
  scenario: Scenario,
  server: RunningServer,
  cached: Cached,
  settings: LoadSettings,
): Promise<void> {
  const reset = resetPeakRss(server.pid);
  const window = cpuWindow(SERVER_CORE, server.pid);
  const load = await measure({
    url: urlOf(server.port, scenario),
    body: scenario.review.body,
    uid: scenario.review.uid,
    variants: scenario.review.variants,
    ...settings,
  });
  const measurement: Measurement = {
    phase,
    scenario: scenario.id,
    title: scenario.title,
    reviewKib: reviewKib(scenario),
    server: server.kind,
    cached,
    settings,
    load,
    peakRssBytes: peakRss(server.pid),
    rssSinceStart: !reset,
    cpu: window.end(),
  };
  context.measurements.push(measurement);
  context.onMeasurement(measurement);
}

/**
 * Measures every scenario on every server of every fleet, scenario by
 * scenario, and repeats the whole sequence `rounds` times.
 */
export async function measureAll(
  context: RunContext,
  phase: PhaseName,
  fleets: readonly Fleet[],
  scenarios: readonly Scenario[],
  settings: LoadSettings,
  rounds = 1,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const scenario of scenarios) {
      for (const fleet of fleets) {
        for (const server of fleet.servers) {
          await measureOne(context, phase, scenario, server, fleet.cached, settings);
        }
      }
    }
  }
}
