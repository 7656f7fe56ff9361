// The phases of a run: the scenarios on the main cache (10 templates, 10,000
// services), the same scenarios at a fixed rate, the object-size series, the
// cached-services and cached-templates series, and a CPU profile of the
// webhook.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { measure } from './load.js';
import {
  measureAll,
  urlOf,
  startFleet,
  stopFleets,
  type Cached,
  type Fleet,
  type LoadSettings,
  type Measurement,
  type RunContext,
  type ServerStart,
} from './phases.js';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './profile-summary.js';
import { formatMeasurement } from './report.js';
import { PATHS } from './reviews.js';
import {
  mainScenarios,
  objectSizeScenarios,
  OBJECT_SIZES_KIB,
  type Scenario,
} from './scenarios.js';
import type { ServerKind } from './servers.js';
import type { MachineInfo } from './system.js';
import type { Workspace } from './workspace.js';

export const PHASES = ['main', 'rate', 'object-size', 'services', 'templates', 'profile'] as const;
export type Phase = (typeof PHASES)[number];

export const MAIN_TEMPLATES = 10;
export const SERVICE_COUNTS = [10, 1_000, 10_000, 100_000];
export const TEMPLATE_COUNTS = [10, 1_000];
/** Services cached in the cached-templates series, as in the peak RSS target. */
export const TEMPLATE_SERIES_SERVICES = 10_000;
const PROFILED_SCENARIOS = ['b', 'c', 'c-uncached'];
const PROFILE_ROWS = 20;

export interface RunOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  seriesDurationSeconds: number;
  seriesWarmupSeconds: number;
  rate: number;
  rateConnections: number;
  /** Repetitions of each measurement, except the fixed-rate and profile ones. */
  rounds: number;
  servers: ServerKind[];
  phases: Phase[];
  /** Scenario ids of the main phase; empty for all. */
  scenarios: string[];
  mainServices: number;
  outDir: string;
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  machine: MachineInfo;
  pinned: boolean;
  /** Load averages (1, 5, 15 minutes) before and after the run. */
  loadBefore: number[];
  loadAfter?: number[];
  options: RunOptions;
  measurements: Measurement[];
  starts: ServerStart[];
  profiles: Array<{ scenario: string; summary: ProfileSummary }>;
}

export interface RunEnvironment {
  workspace: Workspace;
  goBinary?: string;
  pin: boolean;
}

function pick(scenarios: Scenario[], ids: readonly string[]): Scenario[] {
  return ids.length === 0 ? scenarios : scenarios.filter((scenario) => ids.includes(scenario.id));
}

/** Runs the phases on the main cache: the scenarios, the fixed rate and the object sizes. */
async function runMainPhases(
  context: RunContext,
  options: RunOptions,
  scenarios: Scenario[],
): Promise<void> {
  const selected = options.phases.filter((phase) =>
    ['main', 'rate', 'object-size'].includes(phase),
  );
  if (selected.length === 0) return;
  const cached: Cached = { templates: MAIN_TEMPLATES, services: options.mainServices };
  const fleet = await startFleet(context, options.servers, cached);
  if (selected.includes('main') && options.servers.includes('webhook')) {
    // Start-up alone with the same services in YAML files, which take longer to parse.
    await stopFleets([
      await startFleet(context, ['webhook'], { ...cached, serviceFormat: 'yaml' }),
    ]);
  }
  const full: LoadSettings = {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
  };
  const series: LoadSettings = {
    ...full,
    durationSeconds: options.seriesDurationSeconds,
    warmupSeconds: options.seriesWarmupSeconds,
  };
  try {
    if (selected.includes('main'))
      await measureAll(
        context,
        'main',
        [fleet],
        pick(scenarios, options.scenarios),
        full,
        options.rounds,
      );
    if (selected.includes('rate')) {
      const rated = { ...full, connections: options.rateConnections, overallRate: options.rate };
      await measureAll(context, 'rate', [fleet], pick(scenarios, ['a', 'b', 'c']), rated);
    }
    if (selected.includes('object-size')) {
      const sizes = [
        ...objectSizeScenarios(PATHS.mutate, OBJECT_SIZES_KIB),
        ...objectSizeScenarios(PATHS.validate, OBJECT_SIZES_KIB),
      ];
      await measureAll(context, 'object-size', [fleet], sizes, series, options.rounds);
    }
  } finally {
    await stopFleets([fleet]);
  }
}

/** Runs one growth series: a fleet per cache size, all up at once, measured interleaved. */
async function runSeries(
  context: RunContext,
  options: RunOptions,
  phase: 'services' | 'templates',
  caches: readonly Cached[],
  scenarios: Scenario[],
): Promise<void> {
  const kinds = options.servers.filter((kind) => kind !== 'floor');
  const settings: LoadSettings = {
    connections: options.connections,
    durationSeconds: options.seriesDurationSeconds,
    warmupSeconds: options.seriesWarmupSeconds,
  };
  const fleets: Fleet[] = [];
  try {
    for (const cached of caches) fleets.push(await startFleet(context, kinds, cached));
    await measureAll(context, phase, fleets, scenarios, settings, options.rounds);
  } finally {
    await stopFleets(fleets);
  }
}

/**
 * Profiles the webhook with `node --cpu-prof` under one scenario and
 * summarizes by self time. Samples from start-up and warm-up are left out.
 */
async function profileScenario(
  context: RunContext,
  options: RunOptions,
  scenario: Scenario,
): Promise<ProfileSummary> {
  const directory = join(context.workspace.root, `profile-${scenario.id}`);
  const cached: Cached = { templates: MAIN_TEMPLATES, services: 10 };
  const fleet = await startFleet(context, ['webhook'], cached, directory);
  const [server] = fleet.servers;
  const settings: LoadSettings = {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    warmupSeconds: 0,
  };
  let skipMs = 0;
  try {
    const warmup = { ...settings, durationSeconds: Math.max(1, options.warmupSeconds) };
    await measure({
      url: urlOf(server.port, scenario),
      body: scenario.review.body,
      uid: scenario.review.uid,
      variants: scenario.review.variants,
      ...warmup,
    });
    skipMs = performance.now() - server.spawnedAt;
    await measureAll(context, 'profile', [fleet], [scenario], settings);
  } finally {
    // The profile is written when the process exits.
    await stopFleets([fleet]);
  }
  const file = (await readdir(directory)).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`node --cpu-prof wrote no profile into ${directory}`);
  const profile = JSON.parse(await readFile(join(directory, file), 'utf8')) as CpuProfile;
  return summarizeProfile(profile, PROFILE_ROWS, skipMs);
}

export async function runPhases(
  options: RunOptions,
  results: Results,
  environment: RunEnvironment,
  log: (line: string) => void,
): Promise<void> {
  const context: RunContext = {
    ...environment,
    readyTimeoutMs: 300_000,
    measurements: results.measurements,
    starts: results.starts,
    onMeasurement: (measurement) => log(formatMeasurement(measurement)),
  };
  const scenarios = mainScenarios();
  const byId = (ids: string[]): Scenario[] => pick(scenarios, ids);

  await runMainPhases(context, options, scenarios);
  if (options.phases.includes('services')) {
    const caches = SERVICE_COUNTS.map((services) => ({ templates: MAIN_TEMPLATES, services }));
    await runSeries(context, options, 'services', caches, byId(['c', 'd']));
  }
  if (options.phases.includes('templates')) {
    const caches = TEMPLATE_COUNTS.map((templates) => ({
      templates,
      services: TEMPLATE_SERIES_SERVICES,
    }));
    await runSeries(context, options, 'templates', caches, byId(['b', 'c']));
  }
  if (options.phases.includes('profile') && options.servers.includes('webhook')) {
    for (const scenario of byId(PROFILED_SCENARIOS)) {
      results.profiles.push({
        scenario: scenario.id,
        summary: await profileScenario(context, options, scenario),
      });
    }
  }
}
