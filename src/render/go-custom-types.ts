// Kubernetes types with their own JSON encoding and String methods: Quantity,
// IntOrString, metav1.Time and FieldsV1. Each gets a Go type for the value model
// and a decoder from the webhook's JSON.

import { GoType, T, T_BYTES, Value, zeroValue } from '../gotemplate/index.js';

export interface CustomType {
  type: GoType;
  decode(json: unknown): Value;
}

type Tagged = Value[] & { text?: string };

function tagged(text: string | undefined): Tagged {
  return Object.assign([] as Value[], { text });
}

/**
 * NOTE: Go's Quantity.String returns the canonical form ("0.5" prints as "500m"),
 * and fmt prints an unaddressable Quantity as its internal fields. This model
 * prints the text as written and has no internal fields.
 */
const QUANTITY: GoType = {
  kind: 'struct',
  name: 'resource.Quantity',
  fields: [],
  stringer: { pointerReceiver: true, format: (raw) => (raw as Tagged).text ?? '0' },
};

const INT_OR_STRING_TYPE: GoType = { kind: 'int', base: 'int64', bits: 64, name: 'intstr.Type' };

const INT_OR_STRING: GoType = {
  kind: 'struct',
  name: 'intstr.IntOrString',
  fields: [
    { name: 'Type', json: 'type', type: INT_OR_STRING_TYPE },
    { name: 'IntVal', json: 'intVal', type: T.int32 },
    { name: 'StrVal', json: 'strVal', type: T.string },
  ],
  stringer: {
    pointerReceiver: true,
    format: (raw) => {
      const [type, intVal, strVal] = raw as Value[];
      return type.v === 1n ? (strVal.v as string) : String(intVal.v);
    },
  },
};

function formatGoTime(text: string | undefined): string {
  const date = text === undefined ? undefined : new Date(text);
  if (date === undefined || Number.isNaN(date.getTime())) return '0001-01-01 00:00:00 +0000 UTC';
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

/** NOTE: times print in UTC without fractional seconds, as the webhook receives them. */
const TIME: GoType = {
  kind: 'struct',
  name: 'v1.Time',
  fields: [],
  stringer: { pointerReceiver: false, format: (raw) => formatGoTime((raw as Tagged).text) },
};

const FIELDS_V1: GoType = {
  kind: 'struct',
  name: 'v1.FieldsV1',
  fields: [{ name: 'Raw', json: 'raw', type: T_BYTES }],
  stringer: {
    pointerReceiver: false,
    format: (raw) => {
      const bytes = ((raw as Value[])[0].v as Value[] | null) ?? [];
      return Buffer.from(bytes.map((b) => Number(b.v))).toString('utf8');
    },
  },
};

function decodeIntOrString(json: unknown): Value {
  const value = zeroValue(INT_OR_STRING);
  const [type, intVal, strVal] = value.v as Value[];
  if (typeof json === 'number' && Number.isInteger(json))
    intVal.v = BigInt.asIntN(32, BigInt(json));
  else if (typeof json === 'string') {
    type.v = 1n;
    strVal.v = json;
  }
  return value;
}

export const CUSTOM_TYPES: Record<string, CustomType> = {
  'resource.Quantity': {
    type: QUANTITY,
    decode: (json) => ({
      t: QUANTITY,
      v: tagged(typeof json === 'string' || typeof json === 'number' ? String(json) : undefined),
    }),
  },
  'intstr.IntOrString': { type: INT_OR_STRING, decode: decodeIntOrString },
  'v1.Time': {
    type: TIME,
    decode: (json) => ({ t: TIME, v: tagged(typeof json === 'string' ? json : undefined) }),
  },
  'v1.FieldsV1': {
    type: FIELDS_V1,
    decode: (json) => {
      const bytes = [...Buffer.from(JSON.stringify(json ?? null), 'utf8')];
      const raw: Value = { t: T_BYTES, v: bytes.map((b) => ({ t: T.uint8, v: BigInt(b) })) };
      return { t: FIELDS_V1, v: [raw] };
    },
  },
};
