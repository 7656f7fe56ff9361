// Builds the fastify app that serves the admission webhooks. Without a server
// factory the app serves `inject()` only, which tests use to send bad HTTP
// input. `serve` passes a factory for the HTTPS server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { admissionPlugin, DEFAULT_BODY_LIMIT } from './admission/plugin.js';
import type { ReviewRecorder } from './admission/review-log.js';
import type { Webhook } from './admission/webhook.js';
import type { Config } from './config.js';
import type { AdmissionServer } from './server/https-server.js';

type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface AppOptions extends Partial<Pick<Config, 'bodyLimit' | 'maxJsonDepth' | 'http2'>> {
  webhooks: readonly Webhook[];
  logger: FastifyBaseLogger;
  recorder?: ReviewRecorder;
  /** Creates the server to listen on, given fastify's request handler. */
  serverFactory?: (handler: RequestHandler) => AdmissionServer;
}

/**
 * Keeps fastify's framework log lines but drops its two lines per request:
 * each review writes one decision line, and each rejected request one line,
 * in the admission plugin.
 */
class AdmissionLogController extends LogController {
  override incomingRequest(_request: FastifyRequest, _reply: FastifyReply): void {}
  override requestCompleted(
    _error: unknown,
    _request: FastifyRequest,
    _reply: FastifyReply,
  ): void {}
}

/** Builds the app and registers the admission plugin; call `ready()` or `listen()` next. */
export function buildApp(options: AppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const factory = options.serverFactory;
  const fastifyOptions: FastifyServerOptions = {
    loggerInstance: options.logger,
    logController: new AdmissionLogController(),
    bodyLimit,
    // Requests that arrive on an open connection during shutdown are still
    // reviewed, because a 503 response would fail them under failurePolicy Fail.
    return503OnClosing: false,
    ...(factory === undefined
      ? {}
      : { serverFactory: (handler: RequestHandler) => factory(handler) as never }),
  };
  const app = Fastify({ ...fastifyOptions, http2: options.http2 === true } as FastifyServerOptions);

  void app.register(admissionPlugin, {
    webhooks: options.webhooks,
    bodyLimit,
    maxJsonDepth: options.maxJsonDepth,
    recorder: options.recorder,
  });
  return app as unknown as FastifyInstance;
}
