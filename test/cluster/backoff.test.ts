import t from 'tap';
import { backoffDelay, sleep } from '../../src/cluster/backoff.js';

t.test('backoffDelay doubles then caps', async (t) => {
  const lowest = { initialMs: 100, maxMs: 1000, random: () => 0 };
  const highest = { initialMs: 100, maxMs: 1000, random: () => 0.999999 };
  const cases: Array<[attempt: number, min: number, max: number]> = [
    [1, 50, 100],
    [2, 100, 200],
    [3, 200, 400],
    [4, 400, 800],
    [5, 500, 1000],
    [50, 500, 1000],
  ];
  for (const [attempt, min, max] of cases) {
    t.equal(backoffDelay(attempt, lowest), min, `attempt ${attempt} lowest`);
    t.equal(backoffDelay(attempt, highest), max, `attempt ${attempt} highest`);
  }
});

t.test('backoffDelay spreads with jitter', async (t) => {
  const delays = new Set<number>();
  for (let i = 0; i < 50; i++) delays.add(backoffDelay(3, { initialMs: 100, maxMs: 1000 }));
  t.ok(delays.size > 10, `${delays.size} distinct delays of 50`);
  for (const delay of delays) t.ok(delay >= 200 && delay <= 400, `${delay} within 200..400`);
});

t.test('sleep returns early on abort', async (t) => {
  const controller = new AbortController();
  const started = Date.now();
  const sleeping = sleep(10_000, controller.signal);
  controller.abort();
  await sleeping;
  t.ok(Date.now() - started < 1000, 'aborted sleep ends at once');
});
