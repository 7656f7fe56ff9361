// Caches of rendering work, shared by the webhooks of one server. A render
// depends only on the service's name, namespace, labels and spec and on the
// template objects its references resolve to. Template sources never change
// a stored template in place, because an update stores a new object. So the
// identity of a template object stands for its content, and an entry keyed by
// identities never returns a result computed from other content.
//
// Two caches:
// - merged template chains: the templates of a service merged in order,
//   before the service's own spec is merged over them. Many services share a
//   chain, and merging it is the largest cost of a render.
// - render outcomes: the whole result for one service spec and set of
//   templates. The same spec is rendered again by the validating webhook after
//   the mutating one, by every status write of the controller and by every
//   update that leaves the spec as it was.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { JsonObject } from '../admission/review.js';
import type { InferenceServiceTemplate } from '../api/types.js';

/** Bounds of the caches, in entries and in bytes as estimateHeapBytes counts them. */
export interface RenderCacheLimits {
  maxOutcomes: number;
  maxChains: number;
  /** Total estimated size of the cached outcomes. */
  maxOutcomeBytes: number;
  /**
   * Outcomes estimated larger are not cached, so a render that expands into
   * a large output never fills the cache.
   */
  maxOutcomeEntryBytes: number;
  /** Total estimated size of the cached chains. */
  maxChainBytes: number;
  /** Specs whose JSON is longer, in characters, are rendered every time and never cached. */
  maxSpecChars: number;
}

/** The two budgets keep both caches near 24 MiB of heap, as far as the estimate holds. */
export const DEFAULT_RENDER_CACHE_LIMITS: RenderCacheLimits = Object.freeze({
  maxOutcomes: 512,
  maxChains: 128,
  maxOutcomeBytes: 12 * 1024 * 1024,
  maxOutcomeEntryBytes: 1024 * 1024,
  maxChainBytes: 12 * 1024 * 1024,
  maxSpecChars: 64 * 1024,
});

/**
 * Estimated heap bytes of JSON values on 64-bit V8, rounded up. A string
 * counts its header and two bytes per character, because V8 keeps text
 * outside Latin-1 in two-byte strings. A list counts a slot per item, and an
 * object counts its header plus a slot, a map entry and the key string per
 * property. Counting characters of JSON instead undercounted a list of
 * 80,000 empty objects about eightfold.
 */
const STRING_BYTES = 16;
const SCALAR_BYTES = 16;
const LIST_BYTES = 32;
const LIST_ITEM_BYTES = 8;
const OBJECT_BYTES = 56;
const PROPERTY_BYTES = 24;

/**
 * Returns an estimate of the heap that a JSON value takes, or Infinity once
 * the estimate passes `limit` or the value nests deeper than MAX_KEY_DEPTH.
 * Values shared with other objects are counted in full, so the estimate errs
 * high.
 */
export function estimateHeapBytes(value: unknown, limit: number): number {
  let bytes = 0;
  const visit = (current: unknown, depth: number): boolean => {
    if (typeof current === 'string') {
      bytes += STRING_BYTES + 2 * current.length;
    } else if (current === null || typeof current !== 'object') {
      bytes += SCALAR_BYTES;
    } else if (depth > MAX_KEY_DEPTH) {
      return false;
    } else if (Array.isArray(current)) {
      bytes += LIST_BYTES + LIST_ITEM_BYTES * current.length;
      for (const item of current) {
        if (bytes > limit || !visit(item, depth + 1)) return false;
      }
    } else {
      bytes += OBJECT_BYTES;
      for (const key in current) {
        bytes += PROPERTY_BYTES + STRING_BYTES + 2 * key.length;
        if (bytes > limit || !visit((current as Record<string, unknown>)[key], depth + 1)) {
          return false;
        }
      }
    }
    return bytes <= limit;
  };
  return visit(value, 0) ? bytes : Infinity;
}

const templateIdentities = new WeakMap<InferenceServiceTemplate, number>();
let nextIdentity = 1;

/** Returns a number that identifies one template object for the life of the process. */
export function templateIdentity(template: InferenceServiceTemplate): number {
  let identity = templateIdentities.get(template);
  if (identity === undefined) {
    identity = nextIdentity++;
    templateIdentities.set(template, identity);
  }
  return identity;
}

/** Returns the cache key of a chain of templates, in merge order. */
export function chainKey(templates: readonly InferenceServiceTemplate[]): string {
  return templates.map(templateIdentity).join(',');
}

/** Values nested deeper are not cached, so the walk below stays shallow whatever it is given. */
const MAX_KEY_DEPTH = 64;

/**
 * Returns true when the JSON text of `value` is surely longer than `limit`
 * characters, or when it nests deeper than MAX_KEY_DEPTH. It adds up the
 * lengths of keys and strings, which is less than the text's length, and
 * stops once the sum passes the limit, so a large spec costs no more than a
 * small one to turn away.
 */
export function exceedsJsonLength(value: unknown, limit: number): boolean {
  let length = 0;
  const visit = (current: unknown, depth: number): boolean => {
    if (typeof current === 'string') {
      length += current.length;
      return length > limit;
    }
    if (current === null || typeof current !== 'object') return false;
    if (depth > MAX_KEY_DEPTH) return true;
    if (Array.isArray(current)) return current.some((item) => visit(item, depth + 1));
    for (const key in current) {
      length += key.length;
      if (length > limit || visit((current as Record<string, unknown>)[key], depth + 1)) {
        return true;
      }
    }
    return false;
  };
  return visit(value, 0);
}

/** The key of one render outcome: a SHA-256 digest of its input. */
export interface OutcomeKey {
  digest: string;
}

/** Estimated bytes of one entry's key and its place in the LRU cache. */
const KEY_BYTES = 128;

export class RenderCache<Outcome extends object> {
  readonly limits: RenderCacheLimits;
  private readonly outcomes: LRUCache<string, Outcome>;
  private readonly chains: LRUCache<string, JsonObject>;

  constructor(limits: Partial<RenderCacheLimits> = {}) {
    this.limits = { ...DEFAULT_RENDER_CACHE_LIMITS, ...limits };
    this.outcomes = new LRUCache<string, Outcome>({
      max: this.limits.maxOutcomes,
      maxSize: this.limits.maxOutcomeBytes,
    });
    this.chains = new LRUCache<string, JsonObject>({
      max: this.limits.maxChains,
      maxSize: this.limits.maxChainBytes,
    });
  }

  /**
   * Returns the key of an outcome, or undefined when the spec is too large to
   * cache. `templates` are the resolved templates in merge order.
   */
  outcomeKey(
    identity: { name: string; namespace: string; labels: Record<string, string> },
    templates: readonly InferenceServiceTemplate[],
    spec: JsonObject,
  ): OutcomeKey | undefined {
    if (exceedsJsonLength(spec, this.limits.maxSpecChars)) return undefined;
    const specText = JSON.stringify(spec);
    if (specText.length > this.limits.maxSpecChars) return undefined;
    const labels = JSON.stringify(identity.labels);
    // JSON strings cannot contain a raw newline, so the parts cannot run into each other.
    const name = JSON.stringify(identity.name);
    const namespace = JSON.stringify(identity.namespace);
    const text = `${namespace}\n${name}\n${labels}\n${chainKey(templates)}\n${specText}`;
    // A digest is a shorter key than the text: looking up a 10 KB string key
    // cost more than hashing it, and the cache keeps 44 characters per entry.
    return { digest: createHash('sha256').update(text).digest('base64') };
  }

  /** The estimated size of the cached outcomes, in bytes. */
  get outcomeBytes(): number {
    return this.outcomes.calculatedSize;
  }

  /** The estimated size of the cached chains, in bytes. */
  get chainBytes(): number {
    return this.chains.calculatedSize;
  }

  /** Returns a cached outcome. It is shared: callers must not change it. */
  outcome(key: OutcomeKey): Outcome | undefined {
    return this.outcomes.get(key.digest);
  }

  /**
   * Stores an outcome, sized by an estimate of its heap, which includes the
   * rendered spec. One estimated larger than maxOutcomeEntryBytes is not
   * stored.
   */
  storeOutcome(key: OutcomeKey, outcome: Outcome): void {
    const size = KEY_BYTES + estimateHeapBytes(outcome, this.limits.maxOutcomeEntryBytes);
    if (size > this.limits.maxOutcomeEntryBytes) return;
    this.outcomes.set(key.digest, outcome, { size });
  }

  /** Returns a cached merged chain. It is shared: callers must not change it. */
  chain(key: string): JsonObject | undefined {
    return this.chains.get(key);
  }

  /** Stores a merged chain, sized by an estimate of its heap; one larger than the whole budget is not stored. */
  storeChain(key: string, chain: JsonObject): void {
    const size = KEY_BYTES + estimateHeapBytes(chain, this.limits.maxChainBytes);
    if (size > this.limits.maxChainBytes) return;
    this.chains.set(key, chain, { size });
  }
}
