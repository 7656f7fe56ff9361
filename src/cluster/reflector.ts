// Keeps a local store in step with one resource of the apiserver: a paginated
// LIST, then a WATCH from the listed resourceVersion, resumed from the last
// resourceVersion seen whenever it ends. A 410 Gone means that resourceVersion
// fell out of the apiserver's history, so it leads to a relist. Any other
// failure leads to a retry after an exponential backoff with jitter. It never
// gives up, so a webhook started before its apiserver becomes ready once it can list.
import type { Logger } from 'pino';
import type { JsonObject } from '../admission/review.js';
import { ApiClient, isGone, type WatchEvent } from './api-client.js';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from './backoff.js';

/** The destination of a reflector's reads. A reflector calls these from a single loop. */
export interface ReflectorStore<T> {
  /** Replaces the whole content with the result of a full listing. */
  replace(items: T[]): void;
  upsert(item: T): void;
  remove(item: T): void;
}

export interface ReflectorOptions<T> {
  client: ApiClient;
  /** Collection path across namespaces, such as `/apis/odin.moreh.io/v1alpha1/inferenceservices`. */
  path: string;
  /** Resource name for logs, such as `inferenceservices`. */
  resource: string;
  /** Converts an object from the apiserver to what the store keeps; undefined skips it. */
  decode: (object: JsonObject) => T | undefined;
  store: ReflectorStore<T>;
  logger: Logger;
  backoff?: BackoffOptions;
  /** Items per LIST page; bounds the size of one response. */
  pageSize?: number;
  /** Returns the timeoutSeconds of the next watch request. */
  watchTimeoutSeconds?: () => number;
}

interface ListPage {
  metadata?: { resourceVersion?: unknown; continue?: unknown };
  items?: unknown;
}

const DEFAULT_PAGE_SIZE = 500;
/** A watch that ends sooner than this with no event counts as a failure. */
const MIN_QUIET_WATCH_MS = 1000;

/**
 * Returns a watch timeout between 5 and 10 minutes, the spread client-go's
 * reflector uses, so the watches of many replicas do not end together.
 */
function randomWatchTimeoutSeconds(): number {
  return 300 + Math.floor(Math.random() * 300);
}

export class Reflector<T> {
  private resourceVersion: string | undefined;
  private synced = false;
  private failures = 0;
  private relisting = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ReflectorOptions<T>) {}

  /** Starts the list and watch loop in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the current request and the loop; resolves once the loop has returned. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** True once a full listing has been stored; stays true through later relists. */
  hasSynced(): boolean {
    return this.synced;
  }

  private async run(): Promise<void> {
    const { logger, resource } = this.options;
    while (!this.abort.signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        await this.watch(this.resourceVersion as string);
      } catch (error) {
        if (this.abort.signal.aborted) break;
        if (isGone(error)) {
          this.resourceVersion = undefined;
          // A 410 is routine after a compaction, so the first one relists at
          // once; another before that relist succeeds backs off like any failure.
          if (!this.relisting) {
            this.relisting = true;
            logger.info({ resource }, 'resource version expired; relisting');
            continue;
          }
        }
        this.failures += 1;
        const delayMs = backoffDelay(this.failures, this.options.backoff ?? DEFAULT_BACKOFF);
        logger.warn(
          { err: error, resource, attempt: this.failures, delayMs },
          'list or watch failed; retrying',
        );
        await sleep(delayMs, this.abort.signal);
      }
    }
  }

  private async list(): Promise<void> {
    const { client, decode, path, resource } = this.options;
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;

    do {
      const query = new URLSearchParams({
        limit: String(this.options.pageSize ?? DEFAULT_PAGE_SIZE),
      });
      if (continueToken !== undefined) query.set('continue', continueToken);
      const page = (await client.getJson(`${path}?${query}`, {
        signal: this.abort.signal,
      })) as ListPage;
      if (!Array.isArray(page.items)) throw new Error(`LIST ${path} returned no items list`);

      for (const object of page.items as unknown[]) {
        const item = isObject(object) ? decode(object) : undefined;
        if (item !== undefined) items.push(item);
      }
      resourceVersion = stringOrUndefined(page.metadata?.resourceVersion);
      continueToken = stringOrUndefined(page.metadata?.continue) || undefined;
    } while (continueToken !== undefined);

    if (resourceVersion === undefined) throw new Error(`LIST ${path} returned no resourceVersion`);
    this.options.store.replace(items);
    this.resourceVersion = resourceVersion;
    this.failures = 0;
    this.relisting = false;
    if (!this.synced)
      this.options.logger.info({ resource, count: items.length }, 'initial listing stored');
    this.synced = true;
  }

  private async watch(resourceVersion: string): Promise<void> {
    const timeoutSeconds = (this.options.watchTimeoutSeconds ?? randomWatchTimeoutSeconds)();
    const query = new URLSearchParams({
      watch: '1',
      resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeoutSeconds),
    });
    const started = Date.now();
    let events = 0;
    // The apiserver ends the stream after timeoutSeconds; the client limit
    // only catches a connection that went silent without closing.
    await this.options.client.watch(
      `${this.options.path}?${query}`,
      (event) => {
        events += 1;
        this.apply(event);
      },
      { signal: this.abort.signal, timeoutMs: (timeoutSeconds + 30) * 1000 },
    );

    // A stream that a proxy closes at once would otherwise reconnect in a tight loop.
    if (events === 0 && Date.now() - started < MIN_QUIET_WATCH_MS) {
      throw new Error(`watch ended after ${Date.now() - started} ms without any event`);
    }
  }

  private apply(event: WatchEvent): void {
    const metadata = event.object.metadata;
    const resourceVersion = isObject(metadata)
      ? stringOrUndefined(metadata.resourceVersion)
      : undefined;

    if (event.type !== 'BOOKMARK') {
      const item = this.options.decode(event.object);
      if (item !== undefined && event.type === 'DELETED') this.options.store.remove(item);
      if (item !== undefined && event.type !== 'DELETED') this.options.store.upsert(item);
    }
    if (resourceVersion !== undefined) this.resourceVersion = resourceVersion;
    this.failures = 0;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
