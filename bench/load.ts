// Load with autocannon over HTTPS keep-alive: a warm-up run whose figures
// are discarded, then a measured run. Latencies are taken from autocannon's
// per-response times in fractional milliseconds, because its own histogram
// records whole milliseconds. Every response body is checked to be an
// AdmissionReview that echoes the request's uid.
import autocannon from 'autocannon';
import { responseVerdict } from './reviews.js';

export interface LoadOptions {
  url: string;
  body: string;
  uid: string;
  /** Bodies sent in turn over all connections instead of `body`. */
  variants?: string[];
  connections: number;
  /** Seconds of measurement. */
  durationSeconds: number;
  /** Seconds of warm-up before the measurement; 0 for none. */
  warmupSeconds: number;
  /** Requests per second over all connections; absent to send as fast as the server responds. */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Latency percentiles and maximum, in milliseconds. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses that were not a well-formed AdmissionReview for the request. */
  malformed: number;
  /** Well-formed responses with `allowed: false`. */
  denied: number;
  /** Share of one core that the load generator used during the measurement. */
  clientCpu: number;
}

interface RawRun {
  result: autocannon.Result;
  latencies: number[];
  malformed: number;
  denied: number;
  clientCpuMicros: number;
}

/** Sends the next of `variants` with each request, counting over all connections. */
function variantRequests(variants: string[] | undefined): Partial<autocannon.Options> {
  if (variants === undefined || variants.length === 0) return {};
  let next = 0;
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    const body = variants[next];
    next = (next + 1) % variants.length;
    return { ...request, body };
  };
  return { requests: [{ setupRequest } as autocannon.Request] };
}

function runAutocannon(options: LoadOptions, durationSeconds: number): Promise<RawRun> {
  const latencies: number[] = [];
  let malformed = 0;
  let denied = 0;
  const verifyBody = (body: unknown): boolean => {
    const verdict = responseVerdict(String(body), options.uid);
    if (verdict === undefined) malformed++;
    if (verdict === 'denied') denied++;
    return verdict !== undefined;
  };
  const cpuBefore = process.cpuUsage();

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.body,
        ...variantRequests(options.variants),
        connections: options.connections,
        duration: durationSeconds,
        // autocannon's coordinated-omission correction assumes a 1 ms interval
        // whatever the rate, so it is off; latencies come from the 'response' events anyway.
        ...(options.overallRate === undefined
          ? {}
          : { overallRate: options.overallRate, ignoreCoordinatedOmission: true }),
        verifyBody,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error as Error);
        const cpu = process.cpuUsage(cpuBefore);
        resolve({ result, latencies, malformed, denied, clientCpuMicros: cpu.user + cpu.system });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
}

/** Returns the value at quantile `q` of ascending `sorted` (nearest rank). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function summarize(run: RawRun): LoadResult {
  const sorted = Float64Array.from(run.latencies).sort();
  const { result } = run;
  const requests = sorted.length;
  return {
    requests,
    requestsPerSecond: requests / result.duration,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: requests > 0 ? sorted[requests - 1] : Number.NaN,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    malformed: run.malformed,
    denied: run.denied,
    clientCpu: run.clientCpuMicros / (result.duration * 1e6),
  };
}

/** Warms up, then measures; each run stops by itself after its duration. */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await runAutocannon(options, options.warmupSeconds);
  return summarize(await runAutocannon(options, options.durationSeconds));
}
