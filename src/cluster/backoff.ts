// Exponential backoff with jitter for reconnecting to the apiserver. Jitter
// spreads the retries of many webhook replicas that lost the apiserver at the
// same moment, so they do not all return at once.

export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  initialMs: number;
  /** Upper bound of any delay, in milliseconds. */
  maxMs: number;
  /** Returns a number in [0, 1); Math.random unless a test fixes it. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/**
 * Returns the delay before retry number `attempt` (1 for the first): the
 * exponential step capped at `maxMs`, then a random point in its upper half,
 * so a delay never drops below half the step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const exponent = Math.max(0, attempt - 1);
  const step = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(exponent, 30));
  const random = options.random ?? Math.random;
  return Math.round(step / 2 + random() * (step / 2));
}

/** Resolves after `ms` milliseconds, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
