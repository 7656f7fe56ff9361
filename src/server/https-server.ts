// Creates the HTTPS server that fastify serves admission reviews on, with the
// connection limits of a webhook behind the kube-apiserver:
//
// - HTTP/1.1 only unless HTTP/2 is enabled. The apiserver calls webhooks over
//   HTTP/1.1, so HTTP/2 would only add exposure such as rapid reset
//   (CVE-2023-44487).
// - The keep-alive timeout stays above the apiserver's 90 s of idle
//   connection reuse, so the client closes idle connections and no request
//   is written to a socket that the server is closing.
// - The TLS handshake and the headers must complete within 10 s, and the
//   whole request within the request timeout. This cuts off clients that
//   send slowly on purpose (slowloris).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { SecureContextOptions, TlsOptions } from 'node:tls';

export interface ServerLimits {
  /** Milliseconds to receive a whole request. */
  requestTimeout: number;
  /** Milliseconds an idle keep-alive connection stays open. */
  keepAliveTimeout: number;
  /** Maximum number of open connections; 0 for no limit. */
  maxConnections: number;
}

export interface AdmissionServerOptions extends ServerLimits {
  tls: SecureContextOptions;
  /** Requires a client certificate that chains to `tls.ca`. */
  requireClientCertificate: boolean;
  http2: boolean;
}

export type AdmissionServer = HttpsServer | Http2SecureServer;
type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

const openSessions = new WeakMap<AdmissionServer, Set<ServerHttp2Session>>();

const MAX_HEADERS_TIMEOUT_MS = 10_000;
/** How often Node checks the header and request timeouts; its default of 30 s lets them overrun. */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/** TLS options shared by both server kinds. */
function tlsServerOptions(options: AdmissionServerOptions): TlsOptions {
  return {
    ...options.tls,
    requestCert: options.requireClientCertificate,
    rejectUnauthorized: options.requireClientCertificate,
    // Node's default of 120 s lets a client hold a connection without ever finishing the handshake.
    handshakeTimeout: MAX_HEADERS_TIMEOUT_MS,
  };
}

function createHttp1Server(options: AdmissionServerOptions, handler: RequestHandler): HttpsServer {
  const server = createServer(
    {
      ...tlsServerOptions(options),
      ALPNProtocols: ['http/1.1'],
      requestTimeout: options.requestTimeout,
      headersTimeout: Math.min(MAX_HEADERS_TIMEOUT_MS, options.requestTimeout),
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
    },
    handler,
  );
  server.keepAliveTimeout = options.keepAliveTimeout;
  // A connection may carry any number of requests; the apiserver reuses its connections.
  server.maxRequestsPerSocket = 0;
  return server;
}

function createHttp2Server(
  options: AdmissionServerOptions,
  handler: RequestHandler,
): Http2SecureServer {
  // ALPN then offers h2 and http/1.1. NOTE: Node applies the header and
  // request timeouts to HTTP/1.1 servers only; HTTP/2 sessions are bounded by
  // the idle timeout alone.
  const server = createSecureServer(
    { ...tlsServerOptions(options), allowHTTP1: true },
    handler as unknown as Parameters<typeof createSecureServer>[1],
  );
  server.setTimeout(options.keepAliveTimeout);

  const open = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    open.add(session);
    session.once('close', () => open.delete(session));
  });
  openSessions.set(server, open);
  return server;
}

/**
 * Closes the HTTP/2 sessions of a server gracefully: each takes no new
 * streams and ends once its open streams finish. Node 20's `server.close()`
 * leaves sessions open until they time out, so shutdown calls this first.
 * Does nothing for an HTTP/1.1 server.
 */
export function closeHttp2Sessions(server: AdmissionServer): void {
  for (const session of openSessions.get(server) ?? []) session.close();
}

/** Creates the server; fastify calls this through its `serverFactory` option. */
export function createAdmissionServer(
  options: AdmissionServerOptions,
  handler: RequestHandler,
): AdmissionServer {
  const server = options.http2
    ? createHttp2Server(options, handler)
    : createHttp1Server(options, handler);
  if (options.maxConnections > 0) server.maxConnections = options.maxConnections;
  return server;
}
