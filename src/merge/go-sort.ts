// A stable sort that makes the same comparisons and swaps as Go's
// sort.SliceStable (insertion sort on blocks of 20, then SymMerge). Strategic
// merge sorts with a comparison that is not a strict weak order (an item
// missing from the order list counts as less than any other), so only the
// same algorithm gives Go's list order.

export type Less<T> = (left: T, right: T) => boolean;

const BLOCK_SIZE = 20;

/** Sorts `items` in place with Go's stable sort algorithm. */
export function goStableSort<T>(items: T[], less: Less<T>): void {
  const n = items.length;
  let blockSize = BLOCK_SIZE;
  let start = 0;
  let end = blockSize;
  while (end <= n) {
    insertionSort(items, start, end, less);
    start = end;
    end += blockSize;
  }
  insertionSort(items, start, n, less);

  while (blockSize < n) {
    start = 0;
    end = 2 * blockSize;
    while (end <= n) {
      symMerge(items, start, start + blockSize, end, less);
      start = end;
      end += 2 * blockSize;
    }
    const middle = start + blockSize;
    if (middle < n) {
      symMerge(items, start, middle, n, less);
    }
    blockSize *= 2;
  }
}

function swap<T>(items: T[], i: number, j: number): void {
  const saved = items[i];
  items[i] = items[j];
  items[j] = saved;
}

function insertionSort<T>(items: T[], start: number, end: number, less: Less<T>): void {
  for (let i = start + 1; i < end; i++) {
    for (let j = i; j > start && less(items[j], items[j - 1]); j--) {
      swap(items, j, j - 1);
    }
  }
}

/** Merges the sorted runs items[a:m] and items[m:b] in place (SymMerge of Kim and Kutzner). */
function symMerge<T>(items: T[], a: number, m: number, b: number, less: Less<T>): void {
  if (m - a === 1) {
    insertFirst(items, a, m, b, less);
    return;
  }
  if (b - m === 1) {
    insertLast(items, a, m, less);
    return;
  }

  const mid = (a + b) >>> 1;
  const n = mid + m;
  let start = m > mid ? n - b : a;
  let r = m > mid ? mid : m;
  const p = n - 1;
  while (start < r) {
    const c = (start + r) >>> 1;
    if (!less(items[p - c], items[c])) {
      start = c + 1;
    } else {
      r = c;
    }
  }

  const end = n - start;
  if (start < m && m < end) {
    rotate(items, start, m, end);
  }
  if (a < start && start < mid) {
    symMerge(items, a, start, mid, less);
  }
  if (mid < end && end < b) {
    symMerge(items, mid, end, b, less);
  }
}

/** Moves items[a] into the sorted run items[m:b], before the first item not less than it. */
function insertFirst<T>(items: T[], a: number, m: number, b: number, less: Less<T>): void {
  let i = m;
  let j = b;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (less(items[h], items[a])) {
      i = h + 1;
    } else {
      j = h;
    }
  }
  for (let k = a; k < i - 1; k++) {
    swap(items, k, k + 1);
  }
}

/** Moves items[m] into the sorted run items[a:m], after every item not greater than it. */
function insertLast<T>(items: T[], a: number, m: number, less: Less<T>): void {
  let i = a;
  let j = m;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!less(items[m], items[h])) {
      i = h + 1;
    } else {
      j = h;
    }
  }
  for (let k = m; k > i; k--) {
    swap(items, k, k - 1);
  }
}

/** Swaps the blocks items[a:m] and items[m:b] with block swaps, as Go's rotate does. */
function rotate<T>(items: T[], a: number, m: number, b: number): void {
  let i = m - a;
  let j = b - m;
  while (i !== j) {
    if (i > j) {
      swapRange(items, m - i, m, j);
      i -= j;
    } else {
      swapRange(items, m - i, m + j - i, i);
      j -= i;
    }
  }
  swapRange(items, m - i, m, i);
}

function swapRange<T>(items: T[], a: number, b: number, n: number): void {
  for (let i = 0; i < n; i++) {
    swap(items, a + i, b + i);
  }
}
