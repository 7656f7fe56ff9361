// `odin-webhook serve`: reads the configuration, opens the template and
// service sources, builds the webhooks and serves them until a signal.
import pino, { type Logger } from 'pino';
import { loggableError } from '../admission/review-log.js';
import { ConfigError, type Config, EXIT_USAGE, formatConfigHelp, readConfig } from '../config.js';

export const SERVE_USAGE = `Usage: odin-webhook serve [flags]

Serves the admission webhooks over HTTPS, and probes and metrics over HTTP.`;

/** How long the exit waits for the log destination to write what it has. */
const LOG_DRAIN_MS = 2000;

/**
 * Writes log lines asynchronously, because a synchronous write per review
 * took about a quarter of the mutating webhook's CPU time under load (the
 * profile of scenario b in docs/benchmarks.md). The caller drains the
 * destination before the process exits, so no line is lost or reordered.
 */
function createLogger(config: Config): { logger: Logger; drain: () => Promise<void> } {
  const destination = pino.destination({ dest: 1, sync: false });
  const logger = pino({ level: config.logLevel, base: { pid: process.pid } }, destination);
  return { logger, drain: () => drainDestination(destination) };
}

/**
 * Ends the destination once the write in flight and the queued lines are
 * written, in order. flushSync would write the queue while an asynchronous
 * write is still in flight, so a later line could come out first. A stdout
 * that takes in nothing for LOG_DRAIN_MS, such as a pipe without a reader, does
 * not hold up the exit: the destination is then destroyed and its remaining
 * lines are lost. Destroying it also stops pino's own exit hook, which would
 * otherwise block in flushSync on the full pipe.
 * NOTE: a write already blocked in a libuv worker thread still holds up the
 * exit, because Node joins those threads when the process exits.
 */
function drainDestination(destination: ReturnType<typeof pino.destination>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      destination.destroy();
      resolve();
    }, LOG_DRAIN_MS);
    destination.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    destination.end();
  });
}

async function serve(config: Config, logger: Logger): Promise<number> {
  // Loaded here, so that --help and configuration errors need none of them.
  const { openSources } = await import('./sources.js');
  const { createWebhooks } = await import('../webhooks/index.js');
  const { startServer } = await import('./serve.js');
  const { shutdownOnSignal } = await import('./shutdown.js');

  const sources = await openSources(config, logger);
  const webhooks = createWebhooks({
    templates: sources.templates,
    services: sources.services,
    systemNamespace: config.systemNamespace,
  });
  const server = await startServer({
    config,
    logger,
    webhooks,
    readinessChecks: sources.readinessChecks,
  });

  const code = await shutdownOnSignal(server, { graceMs: config.shutdownGrace, logger });
  await sources.stop();
  return code;
}

/** Runs `serve` with its arguments; resolves with the exit code once the server has stopped. */
export async function runServe(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${SERVE_USAGE}\n\n${formatConfigHelp()}\n`);
    return 0;
  }

  let config: Config;
  try {
    config = readConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`odin-webhook serve: ${error.message}\n`);
    return EXIT_USAGE;
  }

  const { logger, drain } = createLogger(config);
  try {
    return await serve(config, logger);
  } catch (error) {
    logger.fatal({ error: loggableError(error) }, 'server failed to start');
    return 1;
  } finally {
    await drain();
  }
}
