// Conversion of parsed JSON to the Go values encoding/json produces when it
// decodes into interface{}: map[string]interface {}, []interface {}, float64,
// string, bool and nil. Object keys become Map entries, so `__proto__` stays data.

import { T, T_ANYS, T_ANY_MAP } from './types.js';
import { GoMap, INVALID, Value, boxAny } from './value.js';

export function jsonToValue(json: unknown): Value {
  if (json === null || json === undefined) return INVALID;
  switch (typeof json) {
    case 'boolean':
      return { t: T.bool, v: json };
    case 'number':
      return { t: T.float64, v: json };
    case 'string':
      return { t: T.string, v: json };
  }
  if (Array.isArray(json)) return { t: T_ANYS, v: json.map((item) => boxAny(jsonToValue(item))) };
  const map: GoMap = new Map();
  for (const [key, item] of Object.entries(json as object)) map.set(key, boxAny(jsonToValue(item)));
  return { t: T_ANY_MAP, v: map };
}
