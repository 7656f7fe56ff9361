// The JSON Schema subset in which the API is written, with the helpers that
// the definitions share.

/** The subset of JSON Schema (2020-12) and Kubernetes extensions that the API uses. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  /** OpenAPI v3 only: the apiserver keeps a `null` value instead of pruning it. */
  nullable?: boolean;
  if?: Schema;
  then?: Schema;
  else?: Schema;
  not?: Schema;
  anyOf?: Schema[];
  [extension: `x-kubernetes-${string}`]: unknown;
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** Returns a reference to a definition in the same document. */
export function ref(name: string): Schema {
  return { $ref: `#/$defs/${name}` };
}

/** Returns an int32 field, whose range the controller needs to decode it into a Go int32. */
export function int32(description: string, minimum = INT32_MIN, maximum = INT32_MAX): Schema {
  return { type: 'integer', format: 'int32', minimum, maximum, description };
}
