import t, { type Test } from 'tap';
import { ApiClient } from '../../src/cluster/api-client.js';
import { Reflector, type ReflectorStore } from '../../src/cluster/reflector.js';
import { FakeApiServer } from './fake-apiserver.js';
import { captureLogger, template, waitFor } from './helpers.js';

const RESOURCE = 'inferenceservicetemplates';
const PATH = `/apis/odin.moreh.io/v1alpha1/${RESOURCE}`;
const FAST_BACKOFF = { initialMs: 20, maxMs: 200 };

/** A store that keeps `namespace/name` keys and counts full listings. */
class KeyStore implements ReflectorStore<string> {
  keys = new Set<string>();
  replacements = 0;

  replace(items: string[]): void {
    this.keys = new Set(items);
    this.replacements += 1;
  }

  upsert(item: string): void {
    this.keys.add(item);
  }

  remove(item: string): void {
    this.keys.delete(item);
  }

  sorted(): string[] {
    return [...this.keys].sort();
  }
}

function decodeKey(object: Record<string, unknown>): string | undefined {
  const metadata = object.metadata as { namespace?: string; name?: string } | undefined;
  return metadata?.name ? `${metadata.namespace}/${metadata.name}` : undefined;
}

async function startReflector(
  t: Test,
  server: FakeApiServer,
  extra: { pageSize?: number } = {},
): Promise<{
  store: KeyStore;
  reflector: Reflector<string>;
  lines: Array<Record<string, unknown>>;
}> {
  const { logger, lines } = captureLogger();
  const store = new KeyStore();
  const reflector = new Reflector({
    client: new ApiClient(server.credentials()),
    path: PATH,
    resource: RESOURCE,
    decode: decodeKey,
    store,
    logger,
    backoff: FAST_BACKOFF,
    watchTimeoutSeconds: () => 60,
    ...extra,
  });
  reflector.start();
  t.teardown(() => reflector.stop());
  return { store, reflector, lines };
}

async function startServer(t: Test): Promise<FakeApiServer> {
  const server = new FakeApiServer();
  await server.start();
  t.teardown(() => server.close());
  return server;
}

function countLists(server: FakeApiServer): number {
  return server.requests.filter((request) => !request.watch && request.resource === RESOURCE)
    .length;
}

function warnings(lines: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return lines.filter((line) => line.level === 40);
}

t.test('lists every page then syncs', async (t) => {
  const server = await startServer(t);
  for (let i = 0; i < 5; i++) server.put(RESOURCE, template('mif', `t${i}`));
  const { store, reflector } = await startReflector(t, server, { pageSize: 2 });

  await waitFor(() => reflector.hasSynced(), 'first listing');
  t.same(store.sorted(), ['mif/t0', 'mif/t1', 'mif/t2', 'mif/t3', 'mif/t4']);
  t.equal(countLists(server), 3, 'three pages of two');
  t.equal(store.replacements, 1, 'one replace for all pages');
});

t.test('applies watch events in order', async (t) => {
  const server = await startServer(t);
  server.put(RESOURCE, template('mif', 'a'));
  const { store, reflector } = await startReflector(t, server);
  await waitFor(() => reflector.hasSynced() && server.openWatches === 1, 'watch open');

  server.put(RESOURCE, template('team', 'b'));
  server.put(RESOURCE, template('team', 'b'));
  server.remove(RESOURCE, 'mif', 'a');
  await waitFor(() => store.keys.has('team/b') && !store.keys.has('mif/a'), 'events applied');
  t.same(store.sorted(), ['team/b']);

  const watch = server.requests.find((request) => request.watch);
  t.equal(watch?.query.get('allowWatchBookmarks'), 'true', 'asks for bookmarks');
  t.equal(watch?.query.get('timeoutSeconds'), '60', 'passes the watch timeout');
});

t.test('resumes from last resourceVersion after stream ends', async (t) => {
  const server = await startServer(t);
  const { store, reflector, lines } = await startReflector(t, server);
  await waitFor(() => reflector.hasSynced() && server.openWatches === 1, 'watch open');
  server.put(RESOURCE, template('mif', 'a'));
  await waitFor(() => store.keys.has('mif/a'), 'first event');

  server.endWatches();
  server.put(RESOURCE, template('mif', 'b'));
  await waitFor(() => store.keys.has('mif/b'), 'event sent while reconnecting');

  const watches = server.requests.filter((request) => request.watch);
  t.equal(watches.length, 2, 'watched twice');
  t.equal(
    watches[1].query.get('resourceVersion'),
    '2',
    'second watch resumes after the event it saw',
  );
  t.equal(countLists(server), 1, 'no relist');
  t.same(warnings(lines), [], 'a clean end is no failure');
});

t.test('relists after 410 Gone', async (t) => {
  const server = await startServer(t);
  server.put(RESOURCE, template('mif', 'a'));
  server.put(RESOURCE, template('mif', 'b'));
  const { store, reflector, lines } = await startReflector(t, server);
  await waitFor(() => reflector.hasSynced() && server.openWatches === 1, 'watch open');

  // Changes made while no watch is open, then a history that no longer reaches back.
  server.dropConnections();
  server.remove(RESOURCE, 'mif', 'a');
  server.put(RESOURCE, template('mif', 'c'));
  server.compact();

  await waitFor(() => store.replacements === 2, 'relist');
  t.same(store.sorted(), ['mif/b', 'mif/c'], 'relist removes what was deleted meanwhile');
  t.ok(
    lines.some((line) => line.msg === 'resource version expired; relisting'),
    'relist is logged',
  );
  t.ok(reflector.hasSynced(), 'stays synced');
});

t.test('reconnects after dropped connection with backoff', async (t) => {
  const server = await startServer(t);
  const { store, reflector, lines } = await startReflector(t, server);
  await waitFor(() => reflector.hasSynced() && server.openWatches === 1, 'watch open');
  server.put(RESOURCE, template('mif', 'a'));
  await waitFor(() => store.keys.has('mif/a'), 'first event');

  server.dropConnections();
  server.put(RESOURCE, template('mif', 'b'));
  await waitFor(() => store.keys.has('mif/b'), 'event after reconnect');

  t.equal(countLists(server), 1, 'resumes without relisting');
  const retries = warnings(lines);
  t.equal(retries.length, 1, 'one warning for one drop');
  t.equal(retries[0].msg, 'list or watch failed; retrying');
  t.equal(retries[0].attempt, 1);
  t.equal(retries[0].resource, RESOURCE);
  t.type(retries[0].delayMs, 'number');
  t.ok((retries[0].err as { message?: string }).message, 'logs the error');
});

t.test('retries failed requests with growing delays', async (t) => {
  const server = await startServer(t);
  server.failures.push(500, 500, 500);
  server.put(RESOURCE, template('mif', 'a'));
  const { store, reflector, lines } = await startReflector(t, server);

  await waitFor(() => reflector.hasSynced(), 'listing after three failures');
  t.same(store.sorted(), ['mif/a']);
  const retries = warnings(lines);
  t.same(
    retries.map((line) => line.attempt),
    [1, 2, 3],
  );
  const delays = retries.map((line) => line.delayMs as number);
  t.ok(delays[0] >= 10 && delays[0] <= 20, `first delay ${delays[0]} within 10..20 ms`);
  t.ok(delays[2] >= 40 && delays[2] <= 80, `third delay ${delays[2]} within 40..80 ms`);
});

t.test('waits for an apiserver that starts later', async (t) => {
  const probe = new FakeApiServer();
  await probe.start();
  const credentials = probe.credentials();
  const port = probe.port;
  await probe.close();

  const { logger, lines } = captureLogger();
  const store = new KeyStore();
  const reflector = new Reflector({
    client: new ApiClient(credentials),
    path: PATH,
    resource: RESOURCE,
    decode: decodeKey,
    store,
    logger,
    backoff: FAST_BACKOFF,
  });
  reflector.start();
  t.teardown(() => reflector.stop());

  await waitFor(() => warnings(lines).length >= 2, 'two failed attempts');
  t.notOk(reflector.hasSynced(), 'not synced without an apiserver');

  const server = new FakeApiServer();
  server.put(RESOURCE, template('mif', 'late'));
  await server.start(port);
  t.teardown(() => server.close());
  await waitFor(() => reflector.hasSynced(), 'listing once the apiserver is up');
  t.same(store.sorted(), ['mif/late']);
});

t.test('stop ends an open watch', async (t) => {
  const server = await startServer(t);
  const { logger } = captureLogger();
  const reflector = new Reflector({
    client: new ApiClient(server.credentials()),
    path: PATH,
    resource: RESOURCE,
    decode: decodeKey,
    store: new KeyStore(),
    logger,
  });
  reflector.start();
  await waitFor(() => server.openWatches === 1, 'watch open');
  await reflector.stop();
  await waitFor(() => server.openWatches === 0, 'watch closed by the client');
  t.pass('stopped');
});
