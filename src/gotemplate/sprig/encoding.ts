// Sprig v3.3.0 encoding and hashing functions: base64 with Go's strict decoder
// (a bad input returns Go's error text as the result, as Sprig does), the toJson
// family over typed values, fromJson, and the sha1/sha256/sha512/adler32 sums.

import { createHash } from 'node:crypto';
import { CallError, GoFunc, fn } from '../funcs.js';
import { jsonToValue } from '../json-value.js';
import { marshalJson } from '../json-marshal.js';
import { T } from '../types.js';
import { INVALID, Value, fromBytes, mk, toBytes } from '../value.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard padded base64 as Go's base64.StdEncoding.DecodeString. */
export function decodeBase64(s: string): { bytes: Uint8Array } | { error: string } {
  const input = toBytes(s);
  const out: number[] = [];
  let i = 0;
  const fail = (at: number): { error: string } => ({
    error: `illegal base64 data at input byte ${at}`,
  });
  while (i < input.length) {
    const quantum: number[] = [];
    let padAt = -1;
    while (quantum.length < 4 && padAt < 0) {
      while (i < input.length && (input[i] === 10 || input[i] === 13)) i++;
      if (i >= input.length) {
        if (quantum.length === 0) return { bytes: Uint8Array.from(out) };
        return fail(i - quantum.length);
      }
      const c = input[i++];
      if (c === 61) {
        padAt = quantum.length;
        break;
      }
      const value = ALPHABET.indexOf(String.fromCharCode(c));
      if (value < 0) return fail(i - 1);
      quantum.push(value);
    }
    if (padAt >= 0) {
      if (padAt < 2) return fail(i - 1);
      if (padAt === 2) {
        while (i < input.length && (input[i] === 10 || input[i] === 13)) i++;
        if (i >= input.length) return fail(input.length);
        if (input[i] !== 61) return fail(i - 1);
        i++;
      }
      while (i < input.length && (input[i] === 10 || input[i] === 13)) i++;
      if (i < input.length) return fail(i);
    }
    const bits = quantum.reduce((acc, v) => (acc << 6) | v, 0) << (6 * (4 - quantum.length));
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff];
    out.push(...bytes.slice(0, quantum.length - 1));
  }
  return { bytes: Uint8Array.from(out) };
}

function b64dec(s: string): string {
  const result = decodeBase64(s);
  return 'error' in result ? result.error : fromBytes(result.bytes);
}

function hash(algorithm: string): GoFunc {
  return fn([T.string], T.string, ([s]) =>
    mk.string(
      createHash(algorithm)
        .update(toBytes(s.v as string))
        .digest('hex'),
    ),
  );
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of toBytes(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const COMPACT = { escapeHTML: true, indent: '' };
const PRETTY = { escapeHTML: true, indent: '  ' };
const RAW = { escapeHTML: false, indent: '' };

function toJsonFn(options: typeof COMPACT, must: boolean): GoFunc {
  return fn([T.any], T.string, ([v]) => {
    try {
      return mk.string(marshalJson(v, options));
    } catch (e) {
      if (must || !(e instanceof CallError)) throw e;
      return mk.string('');
    }
  });
}

/** NOTE: mustFromJson reports JavaScript's parse message, not encoding/json's text. */
function parseJson(s: string, must: boolean): Value {
  try {
    return jsonToValue(JSON.parse(s));
  } catch (e) {
    if (!must) return INVALID;
    if (s.trim() === '') throw new CallError('unexpected end of JSON input');
    throw new CallError((e as Error).message);
  }
}

export const encodingFuncs: Record<string, GoFunc> = {
  b64enc: fn([T.string], T.string, ([s]) => mk.string(toBytes(s.v as string).toString('base64'))),
  b64dec: fn([T.string], T.string, ([s]) => mk.string(b64dec(s.v as string))),
  toJson: toJsonFn(COMPACT, false),
  mustToJson: toJsonFn(COMPACT, true),
  toPrettyJson: toJsonFn(PRETTY, false),
  mustToPrettyJson: toJsonFn(PRETTY, true),
  toRawJson: toJsonFn(RAW, true),
  mustToRawJson: toJsonFn(RAW, true),
  fromJson: fn([T.string], T.any, ([s]) => parseJson(s.v as string, false)),
  mustFromJson: fn([T.string], T.any, ([s]) => parseJson(s.v as string, true)),
  sha1sum: hash('sha1'),
  sha256sum: hash('sha256'),
  sha512sum: hash('sha512'),
  adler32sum: fn([T.string], T.string, ([s]) => mk.string(String(adler32(s.v as string)))),
};
