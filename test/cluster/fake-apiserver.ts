// A small stand-in for kube-apiserver on 127.0.0.1, enough for the
// reflectors: paginated LIST, WATCH with replay from a resourceVersion,
// ERROR 410 for a resourceVersion older than its history, GET of one object,
// and switches to drop connections or fail requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { ClusterCredentials } from '../../src/cluster/api-client.js';

type JsonObject = Record<string, unknown>;

interface StoredEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceVersion: number;
  object: JsonObject;
}

interface Collection {
  objects: Map<string, JsonObject>;
  events: StoredEvent[];
}

export interface RequestRecord {
  resource: string;
  watch: boolean;
  query: URLSearchParams;
  authorization: string | undefined;
}

const PREFIX = '/apis/odin.moreh.io/v1alpha1';

export class FakeApiServer {
  private readonly server = http.createServer((request, response) =>
    this.handle(request, response),
  );
  private readonly collections = new Map<string, Collection>();
  private readonly watchers = new Set<{ resource: string; response: http.ServerResponse }>();
  private readonly sockets = new Set<Socket>();
  private resourceVersion = 1;
  /** Watches from a resourceVersion below this get an ERROR 410 event. */
  private oldestResourceVersion = 1;
  /** Status code for the next requests, consumed one per request. */
  readonly failures: number[] = [];
  readonly requests: RequestRecord[] = [];
  port = 0;

  async start(port = 0): Promise<void> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Credentials that point an ApiClient at this server, with no TLS and no token. */
  credentials(): ClusterCredentials {
    const server = `http://127.0.0.1:${this.port}`;
    return {
      getCurrentCluster: () => ({ name: 'fake', server, skipTLSVerify: true }),
      applyToHTTPSOptions: () => Promise.resolve(),
    } as ClusterCredentials;
  }

  /** Adds or replaces an object and sends the event to open watches. */
  put(resource: string, object: JsonObject): void {
    const collection = this.collection(resource);
    const key = keyOf(object);
    const type = collection.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.record(resource, type, object);
  }

  remove(resource: string, namespace: string, name: string): void {
    const object = this.collection(resource).objects.get(`${namespace}/${name}`);
    if (object) this.record(resource, 'DELETED', object);
  }

  /** Forgets the event history, so a resumed watch gets 410 Gone as after an etcd compaction. */
  compact(): void {
    this.oldestResourceVersion = this.resourceVersion;
    for (const collection of this.collections.values()) collection.events = [];
  }

  /** Cuts every open connection without ending the chunked response. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
    this.watchers.clear();
  }

  /** Ends open watches cleanly, as the apiserver does when timeoutSeconds runs out. */
  endWatches(): void {
    for (const watcher of this.watchers) watcher.response.end();
    this.watchers.clear();
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private collection(resource: string): Collection {
    let collection = this.collections.get(resource);
    if (!collection) {
      collection = { objects: new Map(), events: [] };
      this.collections.set(resource, collection);
    }
    return collection;
  }

  private record(resource: string, type: StoredEvent['type'], object: JsonObject): void {
    this.resourceVersion += 1;
    const metadata = {
      ...(object.metadata as JsonObject),
      resourceVersion: String(this.resourceVersion),
    };
    const stored = { ...object, metadata };
    const collection = this.collection(resource);
    if (type === 'DELETED') collection.objects.delete(keyOf(stored));
    else collection.objects.set(keyOf(stored), stored);
    collection.events.push({ type, resourceVersion: this.resourceVersion, object: stored });
    for (const watcher of this.watchers) {
      if (watcher.resource === resource)
        watcher.response.write(`${JSON.stringify({ type, object: stored })}\n`);
    }
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const match =
      /^\/apis\/odin\.moreh\.io\/v1alpha1\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!url.pathname.startsWith(PREFIX) || !match) {
      sendStatus(response, 404, 'NotFound', `no route for ${url.pathname}`);
      return;
    }
    const [, namespace, resource, name] = match;
    const watch = url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true';
    this.requests.push({
      resource,
      watch,
      query: url.searchParams,
      authorization: request.headers.authorization,
    });

    const failure = this.failures.shift();
    if (failure !== undefined) {
      sendStatus(response, failure, 'InternalError', 'injected failure');
    } else if (name !== undefined) {
      this.get(response, resource, namespace ?? '', name);
    } else if (watch) {
      this.watch(response, resource, Number(url.searchParams.get('resourceVersion')));
    } else {
      this.list(response, resource, url.searchParams);
    }
  }

  private get(
    response: http.ServerResponse,
    resource: string,
    namespace: string,
    name: string,
  ): void {
    const object = this.collection(resource).objects.get(`${namespace}/${name}`);
    if (!object) {
      sendStatus(response, 404, 'NotFound', `${resource} "${name}" not found`);
      return;
    }
    sendJson(response, 200, object);
  }

  /** Pages by offset; the continue token is the offset of the next page. */
  private list(response: http.ServerResponse, resource: string, query: URLSearchParams): void {
    const all = [...this.collection(resource).objects.values()];
    const limit = Number(query.get('limit') ?? all.length) || all.length;
    const offset = Number(query.get('continue') ?? 0);
    const items = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    sendJson(response, 200, {
      kind: 'List',
      metadata: {
        resourceVersion: String(this.resourceVersion),
        ...(next ? { continue: next } : {}),
      },
      items,
    });
  }

  private watch(response: http.ServerResponse, resource: string, from: number): void {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.flushHeaders();
    if (!Number.isFinite(from) || from < this.oldestResourceVersion) {
      const status = {
        kind: 'Status',
        status: 'Failure',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version',
      };
      response.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
      return;
    }
    for (const event of this.collection(resource).events) {
      if (event.resourceVersion > from) {
        response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
      }
    }
    const watcher = { resource, response };
    this.watchers.add(watcher);
    response.on('close', () => this.watchers.delete(watcher));
  }
}

function keyOf(object: JsonObject): string {
  const metadata = object.metadata as { namespace?: string; name?: string };
  return `${metadata.namespace}/${metadata.name}`;
}

function sendJson(response: http.ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendStatus(
  response: http.ServerResponse,
  code: number,
  reason: string,
  message: string,
): void {
  sendJson(response, code, {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
  });
}
