// The data a template sees, as the Go controller builds it: render.Context with
// Name, Namespace, Labels (map[string]string) and Spec (InferenceServiceSpec).

import { GoMap, T_STRING_MAP, Value, mk } from '../gotemplate/index.js';
import { contextType, decodeValue } from './go-model.js';
import type { RenderMeta } from './index.js';

export function buildContext(spec: Record<string, unknown>, meta: RenderMeta): Value {
  const context = decodeValue({ Spec: spec }, contextType());
  const fields = context.v as Value[];
  fields[0] = mk.string(meta.name);
  fields[1] = mk.string(meta.namespace);
  const labels: GoMap = new Map();
  for (const [key, value] of Object.entries(meta.labels)) labels.set(key, mk.string(String(value)));
  fields[2] = { t: T_STRING_MAP, v: labels };
  return context;
}
