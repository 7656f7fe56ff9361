// Shutdown on SIGTERM (sent by the kubelet when a pod is deleted) and SIGINT.
// The first signal starts a graceful shutdown bounded by a grace period. The
// handlers are removed at once, so a second signal ends the process the
// default way, as an impatient operator expects.

export interface Stoppable {
  shutdown(): Promise<void>;
}

export interface ShutdownLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ShutdownOptions {
  /** Milliseconds to wait for in-flight reviews before giving up. */
  graceMs: number;
  logger: ShutdownLogger;
  signals?: readonly NodeJS.Signals[];
}

/**
 * Waits for a signal, then shuts `server` down. Resolves with the exit code:
 * 0 when shutdown finished within the grace period, 1 when it failed or the
 * grace period ran out.
 */
export function shutdownOnSignal(server: Stoppable, options: ShutdownOptions): Promise<number> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const { logger, graceMs } = options;

  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      for (const name of signals) process.removeListener(name, onSignal);
      logger.info({ signal, graceMs }, 'shutdown started');

      const timer = setTimeout(() => {
        logger.error({ graceMs }, 'shutdown grace period ran out; exiting with reviews in flight');
        resolve(1);
      }, graceMs);

      server.shutdown().then(
        () => {
          clearTimeout(timer);
          logger.info({}, 'shutdown finished');
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          logger.error({ error: (error as Error).message }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    for (const name of signals) process.on(name, onSignal);
  });
}
