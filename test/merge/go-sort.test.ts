// Go's stable sort algorithm: sorted and stable output for consistent
// comparisons, and Go's exact order for the inconsistent comparison that
// strategic merge uses (an item missing from the order list is "less").
import fc from 'fast-check';
import t from 'tap';
import { goStableSort } from '../../src/merge/go-sort.js';

t.test('sorts stably with a consistent comparison', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(9), fc.nat()), { maxLength: 300 }), (pairs) => {
      const items = pairs.slice();
      goStableSort(items, (left, right) => left[0] < right[0]);
      const expected = pairs.slice().sort((left, right) => left[0] - right[0]);
      t.strictSame(items, expected);
    }),
    { numRuns: 200, seed: 7 },
  );
});

/** Go's comparison in normalizeSliceOrder, with positions from `order`. */
function orderLess(order: readonly string[]): (left: string, right: string) => boolean {
  return (left, right) => {
    const leftPosition = order.indexOf(left);
    if (leftPosition >= 0) {
      const rightPosition = order.indexOf(right);
      if (rightPosition >= 0) {
        return leftPosition < rightPosition;
      }
    }
    return true;
  };
}

interface OrderCase {
  name: string;
  items: string[];
  order: string[];
  expected: string[];
}

// Results traced by hand through Go's insertion sort (fewer than 20 items).
const orderCases: OrderCase[] = [
  {
    name: 'moves items missing from the order forward past each other',
    items: ['x', 'b', 'y', 'a'],
    order: ['a', 'b'],
    expected: ['a', 'y', 'b', 'x'],
  },
  {
    name: 'keeps items that are all in the order sorted',
    items: ['c', 'a', 'b'],
    order: ['a', 'b', 'c'],
    expected: ['a', 'b', 'c'],
  },
  {
    name: 'reverses items that are all missing from the order',
    items: ['x', 'y', 'z'],
    order: [],
    expected: ['z', 'y', 'x'],
  },
];

t.test('order comparison with missing items', async (t) => {
  for (const c of orderCases) {
    const items = c.items.slice();
    goStableSort(items, orderLess(c.order));
    t.strictSame(items, c.expected, c.name);
  }
});
