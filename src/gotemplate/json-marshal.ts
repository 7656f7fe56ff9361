// encoding/json's Marshal and MarshalIndent over typed Go values, for Sprig's
// toJson family: sorted map keys, struct fields by json tag with omitempty, Go's
// float spelling (1e+21, 1e-7), HTML-safe escapes unless disabled, and null for
// nil pointers, slices and maps.

import { CallError } from './funcs.js';
import { formatFloat } from './fmt/format-float.js';
import { compareStrings } from './fmt/printer.js';
import { GoMap, Ref, Value, isValid, lengthOf } from './value.js';

export interface MarshalOptions {
  escapeHTML: boolean;
  /** Indent unit for MarshalIndent; empty for compact output. */
  indent: string;
}

function quoteJson(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x20) {
      if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else out += '\\u00' + cp.toString(16).padStart(2, '0');
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) {
      out += '\\u00' + cp.toString(16);
    } else if (cp === 0x2028 || cp === 0x2029) out += '\\u' + cp.toString(16);
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return out + '"';
}

/** Go's float encoding: shortest digits, exponent form below 1e-6 or from 1e21. */
function floatJson(f: number): string {
  if (!Number.isFinite(f)) {
    throw new CallError(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  }
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return formatFloat(f, 'e', -1).replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return formatFloat(f, 'f', -1);
}

class Encoder {
  constructor(private readonly options: MarshalOptions) {}

  private newline(depth: number): string {
    return this.options.indent === '' ? '' : '\n' + this.options.indent.repeat(depth);
  }

  private join(parts: string[], open: string, close: string, depth: number): string {
    if (parts.length === 0) return open + close;
    const inner = parts.map((p) => this.newline(depth + 1) + p).join(',');
    return open + inner + this.newline(depth) + close;
  }

  private colon(): string {
    return this.options.indent === '' ? ':' : ': ';
  }

  encode(v: Value, depth: number): string {
    if (!isValid(v)) return 'null';
    switch (v.t.kind) {
      case 'interface':
        return v.v === null ? 'null' : this.encode(v.v as Value, depth);
      case 'ptr':
        return v.v === null ? 'null' : this.encode((v.v as Ref).target, depth);
      case 'bool':
        return v.v ? 'true' : 'false';
      case 'int':
      case 'uint':
        return String(v.v);
      case 'float':
        return floatJson(v.v as number);
      case 'string':
        return quoteJson(v.v as string, this.options.escapeHTML);
      case 'slice':
        return this.encodeSlice(v, depth);
      case 'map':
        return this.encodeMap(v, depth);
      case 'struct':
        return this.encodeStruct(v, depth);
      default:
        throw new CallError(`json: unsupported type: ${v.t.kind}`);
    }
  }

  private encodeSlice(v: Value, depth: number): string {
    if (v.v === null) return 'null';
    const items = v.v as Value[];
    if (v.t.kind === 'slice' && v.t.elem.kind === 'uint' && v.t.elem.bits === 8) {
      return '"' + Buffer.from(items.map((b) => Number(b.v))).toString('base64') + '"';
    }
    return this.join(
      items.map((item) => this.encode(item, depth + 1)),
      '[',
      ']',
      depth,
    );
  }

  private encodeMap(v: Value, depth: number): string {
    if (v.v === null) return 'null';
    const entries = [...(v.v as GoMap)].map(([k, item]) => [String(k), item] as const);
    entries.sort((a, b) => compareStrings(a[0], b[0]));
    const parts = entries.map(
      ([k, item]) =>
        quoteJson(k, this.options.escapeHTML) + this.colon() + this.encode(item, depth + 1),
    );
    return this.join(parts, '{', '}', depth);
  }

  private encodeStruct(v: Value, depth: number): string {
    if (v.t.kind !== 'struct') return 'null';
    const format = v.t.stringer?.format;
    if (format !== undefined) return quoteJson(format(v.v), this.options.escapeHTML);
    const fields = v.v as Value[];
    const parts: string[] = [];
    v.t.fields.forEach((field, i) => {
      const value = fields[i];
      if (field.omitempty && isEmptyForJson(value)) return;
      const name = field.json === '' ? field.name : field.json;
      parts.push(
        quoteJson(name, this.options.escapeHTML) + this.colon() + this.encode(value, depth + 1),
      );
    });
    return this.join(parts, '{', '}', depth);
  }
}

function isEmptyForJson(v: Value): boolean {
  switch (v.t.kind) {
    case 'bool':
      return v.v === false;
    case 'int':
    case 'uint':
      return v.v === 0n;
    case 'float':
      return v.v === 0;
    case 'string':
    case 'slice':
    case 'map':
      return (lengthOf(v) ?? 0) === 0;
    case 'ptr':
    case 'interface':
      return v.v === null;
    default:
      return false;
  }
}

/** Encodes a value as Go's json.Marshal (or MarshalIndent with an indent). */
export function marshalJson(v: Value, options: MarshalOptions): string {
  return new Encoder(options).encode(v, 0);
}
