// Starts the admission server and the health server together, and stops them
// in the order a rolling update needs: readiness first, then the admission
// listener once in-flight reviews are done, then the probes.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ReviewRecorder } from '../admission/review-log.js';
import type { Webhook } from '../admission/webhook.js';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { CertificateReloader, type ReloaderTiming } from './certificate-reloader.js';
import { ensureServingCertificate } from './dev-certificate.js';
import { buildHealthApp } from './health.js';
import { type AdmissionServer, closeHttp2Sessions, createAdmissionServer } from './https-server.js';
import { createWebhookMetrics } from './metrics.js';
import { Readiness, type ReadinessCheck } from './readiness.js';

export interface ServeOptions {
  config: Config;
  logger: Logger;
  webhooks: readonly Webhook[];
  /** Checks besides the certificate, such as the template source having synced. */
  readinessChecks?: readonly ReadinessCheck[];
  /** Certificate reload timing; tests shorten it. */
  reloaderTiming?: Partial<ReloaderTiming>;
}

export interface RunningServer {
  readonly admissionPort: number;
  readonly healthPort: number;
  readonly readiness: Readiness;
  /**
   * Reports not ready, stops accepting connections, waits for in-flight
   * reviews, then closes the health server. Resolves when all are closed.
   */
  shutdown(): Promise<void>;
}

function portOf(address: AddressInfo | string | null): number {
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/**
 * Closes the HTTP/1.1 connection after every response sent once shutdown has
 * begun. Fastify marks only the requests that arrive after closing began.
 * Node 20 keeps a keep-alive connection open after its response even while
 * the server closes, so a review in flight at SIGTERM would leave an idle
 * connection that keeps `server.close()` waiting until the keep-alive timeout
 * (95 s by default), past the grace period (25 s by default).
 */
function closeConnectionsOnShutdown(app: FastifyInstance, readiness: Readiness): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    // HTTP/2 forbids the Connection header, and closeHttp2Sessions ends those sessions.
    if (readiness.isShuttingDown() && request.raw.httpVersionMajor === 1) {
      reply.header('connection', 'close');
    }
    done(null, payload);
  });
}

/**
 * Builds the admission app on an HTTPS server made from the current pair.
 * Returns the app and its TLS server, which exists once the app is built.
 */
function buildTlsApp(
  options: ServeOptions,
  certificates: CertificateReloader,
  recorder: ReviewRecorder,
  readiness: Readiness,
): { app: FastifyInstance; tlsServer: AdmissionServer } {
  const { config } = options;
  let tlsServer: AdmissionServer | undefined;
  const app = buildApp({
    ...config,
    webhooks: options.webhooks,
    logger: options.logger,
    recorder,
    serverFactory: (handler) => {
      const serverOptions = {
        ...config,
        tls: certificates.secureContextOptions(),
        requireClientCertificate: config.clientCa !== undefined,
      };
      tlsServer = createAdmissionServer(serverOptions, handler);
      return tlsServer;
    },
  });
  if (tlsServer === undefined) throw new Error('fastify did not call the server factory');

  const server = tlsServer;
  closeConnectionsOnShutdown(app, readiness);
  app.addHook('preClose', async () => closeHttp2Sessions(server));
  return { app, tlsServer: server };
}

/** Loads the certificate (creating a development one if there is none) and listens on both ports. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config, logger } = options;
  await ensureServingCertificate(config.tlsCert, config.tlsKey, logger);
  const certificates = await CertificateReloader.load(
    { certFile: config.tlsCert, keyFile: config.tlsKey, clientCaFile: config.clientCa },
    logger,
    options.reloaderTiming,
  );

  const readiness = new Readiness();
  readiness.add({ name: 'certificate', isReady: () => certificates.isReady() });
  for (const check of options.readinessChecks ?? []) readiness.add(check);
  const metrics = createWebhookMetrics();
  const { app, tlsServer } = buildTlsApp(options, certificates, metrics, readiness);
  const health = buildHealthApp({ readiness, registry: metrics.registry, logger });

  await app.listen({
    port: config.port,
    host: config.host,
    // Fastify names the scheme after its `https` option, which a server factory leaves unset.
    listenTextResolver: (address) =>
      `admission server listening at ${address.replace(/^http:/, 'https:')}`,
  });
  certificates.attach(tlsServer);
  await health.listen({
    port: config.healthPort,
    host: config.host,
    listenTextResolver: (address) => `health server listening at ${address}`,
  });

  const admissionPort = portOf(app.server.address());
  const healthPort = portOf(health.server.address());
  logger.info(
    {
      admissionPort,
      healthPort,
      http2: config.http2,
      clientCertificates: config.clientCa !== undefined,
    },
    'server started',
  );

  return {
    admissionPort,
    healthPort,
    readiness,
    async shutdown(): Promise<void> {
      readiness.markShuttingDown();
      await app.close();
      certificates.close();
      await health.close();
    },
  };
}
