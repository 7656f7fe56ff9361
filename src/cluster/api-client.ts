// Reads from the Kubernetes API with the server and credentials of a
// kubeconfig: one-shot GETs of JSON and streaming watches. The kubeconfig
// object from @kubernetes/client-node supplies TLS material, tokens (re-read
// from a service account's token file) and proxy agents. This module only
// sends requests, so it needs no generated API client.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { JsonObject } from '../admission/review.js';

/** The part of a KubeConfig that requests need; tests pass a plain object. */
export type ClusterCredentials = Pick<KubeConfig, 'getCurrentCluster' | 'applyToHTTPSOptions'>;

/** A non-2xx response from the apiserver, or a watch ERROR event carrying a Status. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True for 410 Gone: the resourceVersion or continue token expired, so a relist is needed. */
export function isGone(error: unknown): boolean {
  return error instanceof ApiError && error.statusCode === 410;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: JsonObject;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Socket inactivity limit in milliseconds; for a watch, the longest gap between bytes. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class ApiClient {
  constructor(private readonly credentials: ClusterCredentials) {}

  /** Returns the parsed body of a GET, or throws ApiError for a non-2xx status. */
  async getJson(path: string, options: RequestOptions = {}): Promise<unknown> {
    const response = await this.send(path, options);
    const body = await readBody(response);
    if (!isSuccess(response.statusCode)) throw statusError(response.statusCode, body, path);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new Error(`GET ${path}: response is not JSON`);
    }
  }

  /**
   * Streams the watch at `path` (which carries `watch=1`) into `onEvent`.
   * Resolves when the apiserver ends the stream (its timeoutSeconds ran out)
   * and rejects on a dropped connection, an ERROR event (as ApiError) or a
   * line that is not JSON.
   */
  async watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
    options: RequestOptions = {},
  ): Promise<void> {
    const response = await this.send(path, options);
    if (!isSuccess(response.statusCode)) {
      throw statusError(response.statusCode, await readBody(response), path);
    }
    await readEventStream(response, onEvent);
  }

  private async send(path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const cluster = this.credentials.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster; set a current context');
    const url = new URL(cluster.server.replace(/\/+$/, '') + path);

    const requestOptions: https.RequestOptions = {
      method: 'GET',
      headers: { Accept: 'application/json' },
      signal: options.signal,
    };
    await this.credentials.applyToHTTPSOptions(requestOptions);
    const transport = url.protocol === 'http:' ? http : https;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    return new Promise((resolve, reject) => {
      const request = transport.request(url, requestOptions, resolve);
      request.setTimeout(timeoutMs, () => {
        request.destroy(
          new Error(`GET ${url.pathname} timed out after ${timeoutMs} ms without data`),
        );
      });
      request.on('error', reject);
      request.end();
    });
  }
}

function isSuccess(statusCode: number | undefined): boolean {
  return statusCode !== undefined && statusCode >= 200 && statusCode < 300;
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/** Builds an ApiError from a Kubernetes Status body, or from the bare HTTP status. */
function statusError(statusCode: number | undefined, body: string, path: string): ApiError {
  const code = statusCode ?? 0;
  let status: { reason?: unknown; message?: unknown } = {};
  try {
    status = JSON.parse(body) as typeof status;
  } catch {
    // Proxies and load balancers respond with HTML or plain text.
  }
  const reason =
    typeof status.reason === 'string' ? status.reason : (http.STATUS_CODES[code] ?? 'Unknown');
  const detail = typeof status.message === 'string' ? status.message : reason;
  return new ApiError(code, reason, `GET ${path}: ${code} ${detail}`);
}

function errorFromStatusEvent(object: JsonObject): ApiError {
  const code = typeof object.code === 'number' ? object.code : 500;
  const reason = typeof object.reason === 'string' ? object.reason : 'Unknown';
  const message = typeof object.message === 'string' ? object.message : reason;
  return new ApiError(code, reason, `watch ERROR event: ${code} ${message}`);
}

/** Splits a watch body into JSON lines and passes each event on. */
function readEventStream(
  response: http.IncomingMessage,
  onEvent: (event: WatchEvent) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      response.destroy();
      reject(error);
    };

    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0 && !settled) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') {
          const error = dispatchLine(line, onEvent);
          if (error) fail(error);
        }
        newline = buffered.indexOf('\n');
      }
    });
    response.on('end', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    response.on('error', fail);
    // A connection that closes before the chunked body ends emits 'close' without 'end'.
    response.on('close', () => {
      if (!response.complete) fail(new Error('watch connection closed before the stream ended'));
    });
  });
}

function dispatchLine(line: string, onEvent: (event: WatchEvent) => void): Error | undefined {
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return new Error('watch stream sent a line that is not JSON');
  }
  const object = event.object;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return new Error(`watch event of type ${String(event.type)} has no object`);
  }
  if (event.type === 'ERROR') return errorFromStatusEvent(object as JsonObject);
  if (
    event.type === 'ADDED' ||
    event.type === 'MODIFIED' ||
    event.type === 'DELETED' ||
    event.type === 'BOOKMARK'
  ) {
    try {
      onEvent({ type: event.type, object: object as JsonObject });
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    return undefined;
  }
  return new Error(`watch stream sent an unknown event type ${String(event.type)}`);
}
