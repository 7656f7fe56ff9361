// Random edits of generated merge pairs that reach the rarer paths of Go's
// merge: directives on any object, type changes, unknown fields and
// directive keys left in the base as data. Each edit picks an object by
// position, so a seed always gives the same pair.
import fc from 'fast-check';

type Json = Record<string, unknown>;

interface Pair {
  original: Json;
  patch: Json;
}

/** Returns every object inside a value, in depth-first order, lists included. */
function objectsIn(value: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(value)) {
    value.forEach((item) => objectsIn(item, found));
  } else if (value !== null && typeof value === 'object') {
    found.push(value as Json);
    Object.values(value).forEach((child) => objectsIn(child, found));
  }
  return found;
}

const MERGE_KEYS = ['name', 'containerPort', 'mountPath', 'topologyKey', 'ip'];

/** Returns an order entry for a list item: its merge key (guessed by name) or the scalar itself. */
function orderEntry(item: unknown): unknown {
  if (item === null || typeof item !== 'object') {
    return item;
  }
  const key = MERGE_KEYS.find((name) => Object.hasOwn(item, name));
  return key === undefined ? {} : { [key]: (item as Json)[key] };
}

const REPLACEMENTS: unknown[] = [null, [], 'text', {}, 7];

type Edit = (target: Json, choice: number) => void;

const PATCH_EDITS: Edit[] = [
  (target) => (target.$patch = 'replace'),
  (target) => (target.$patch = 'delete'),
  (target, choice) => (target.$patch = choice % 2 === 0 ? 'merge' : 'undo'),
  (target, choice) => {
    const keys = Object.keys(target);
    target.$retainKeys = choice % 3 === 0 ? keys.slice(1) : keys;
  },
  (target, choice) => {
    const lists = Object.keys(target).filter((key) => Array.isArray(target[key]));
    const key = lists[choice % Math.max(lists.length, 1)];
    if (key !== undefined) {
      const order = (target[key] as unknown[]).map(orderEntry);
      target[`$setElementOrder/${key}`] = choice % 4 === 0 ? order.reverse() : order;
    }
  },
  (target, choice) => {
    const lists = Object.keys(target).filter((key) => Array.isArray(target[key]));
    const key = lists[choice % Math.max(lists.length, 1)];
    if (key !== undefined) {
      // The list moves to the deletion key, so no value is both added and
      // deleted, which Go would apply in random order.
      target[`$deleteFromPrimitiveList/${key}`] = target[key];
      delete target[key];
    }
  },
  (target, choice) => {
    const keys = Object.keys(target);
    const key = keys[choice % Math.max(keys.length, 1)];
    if (key !== undefined) {
      target[key] = structuredClone(REPLACEMENTS[choice % REPLACEMENTS.length]);
    }
  },
];

/** Applies `edits` as [edit, object position, choice] triples to the patch (and rarely the base). */
function applyEdits(pair: Pair, edits: readonly [number, number, number][]): Pair {
  for (const [edit, position, choice] of edits) {
    if (edit === PATCH_EDITS.length) {
      // A directive key in the base is data to Go, and a `$patch: delete`
      // item there moves to the end of a merged list.
      const targets = objectsIn(pair.original);
      const target = targets[position % Math.max(targets.length, 1)];
      if (target !== undefined) {
        target.$patch = choice % 2 === 0 ? 'delete' : 'replace';
      }
      continue;
    }
    const targets = objectsIn(pair.patch);
    const target = targets[position % Math.max(targets.length, 1)];
    if (target !== undefined) {
      PATCH_EDITS[edit](target, choice);
    }
  }
  return pair;
}

/** Returns pairs from `pairs` with zero to three random edits each. */
export function editedPairs(pairs: fc.Arbitrary<Pair>): fc.Arbitrary<Pair> {
  const edit = fc.tuple(fc.nat(PATCH_EDITS.length), fc.nat(200), fc.nat(11));
  return fc
    .tuple(pairs, fc.array(edit, { maxLength: 3 }))
    .map(([pair, edits]) => applyEdits(structuredClone(pair), edits));
}
