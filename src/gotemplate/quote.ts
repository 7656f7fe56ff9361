// Go string literal quoting and unquoting (strconv.Quote, QuoteToASCII, QuoteRune,
// Unquote), used by the parser for string constants and by fmt's %q verb.
// Hand-written because JSON.stringify escapes differently from Go.

import { fromBytes } from './value.js';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

/** Go's unicode.IsGraphic: IsPrint plus the space separators (Zs). */
export function isGraphic(cp: number): boolean {
  return isPrint(cp) || /^\p{Zs}$/u.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const SIMPLE_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
  0x5c: '\\\\',
};

function escapeRune(cp: number, quote: number, asciiOnly: boolean, graphicOnly: boolean): string {
  if (cp === quote) return '\\' + String.fromCodePoint(cp);
  if (cp === 0x5c) return '\\\\';
  if (asciiOnly) {
    if (cp < 0x80 && isPrint(cp)) return String.fromCodePoint(cp);
  } else if (isPrint(cp) || (graphicOnly && isGraphic(cp))) {
    return String.fromCodePoint(cp);
  }
  const simple = SIMPLE_ESCAPES[cp];
  if (simple !== undefined) return simple;
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** Quotes a string as Go's strconv.Quote (or QuoteToASCII with `asciiOnly`). */
export function quoteGo(s: string, asciiOnly = false, graphicOnly = false): string {
  let out = '"';
  for (const ch of s) {
    out += escapeRune(ch.codePointAt(0) ?? 0, 0x22, asciiOnly, graphicOnly);
  }
  return out + '"';
}

/** Quotes a rune as Go's strconv.QuoteRune. */
export function quoteRune(cp: number, asciiOnly = false): string {
  const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  return "'" + escapeRune(valid ? cp : 0xfffd, 0x27, asciiOnly, false) + "'";
}

/** Reports whether a string can be written as a Go raw string literal (`%#q`). */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x60 || cp === 0xfeff) return false;
    if (cp < 0x20 && cp !== 9) return false;
    if (cp === 0x7f) return false;
  }
  return true;
}

export class SyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

interface Unquoted {
  /** The code point, or a byte when `byte` is set (from \x or octal escapes). */
  value: number;
  byte: boolean;
  rest: number;
}

const ESCAPE_VALUES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 0x5c,
};

function unquoteEscape(s: string, i: number, quote: string): Unquoted {
  const c = s[i];
  if (c === undefined) throw new SyntaxError();
  if (ESCAPE_VALUES[c] !== undefined) return { value: ESCAPE_VALUES[c], byte: false, rest: i + 1 };
  if (c === 'x' || c === 'u' || c === 'U') {
    const size = c === 'x' ? 2 : c === 'u' ? 4 : 8;
    const digits = s.slice(i + 1, i + 1 + size);
    if (digits.length < size || !/^[0-9a-fA-F]+$/.test(digits)) throw new SyntaxError();
    const value = parseInt(digits, 16);
    if (c !== 'x' && (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))) {
      throw new SyntaxError();
    }
    return { value, byte: c === 'x', rest: i + 1 + size };
  }
  if (c >= '0' && c <= '7') {
    const digits = s.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxError();
    const value = parseInt(digits, 8);
    if (value > 255) throw new SyntaxError();
    return { value, byte: true, rest: i + 3 };
  }
  if ((c === "'" || c === '"') && c === quote)
    return { value: c.charCodeAt(0), byte: false, rest: i + 1 };
  throw new SyntaxError();
}

/** Decodes one character or escape of a quoted literal (Go's strconv.UnquoteChar). */
export function unquoteChar(s: string, i: number, quote: string): Unquoted {
  const cp = s.codePointAt(i) ?? 0;
  const c = String.fromCodePoint(cp);
  if (c === quote && (quote === "'" || quote === '"')) throw new SyntaxError();
  if (c !== '\\') return { value: cp, byte: false, rest: i + c.length };
  return unquoteEscape(s, i + 1, quote);
}

/** Decodes a Go string literal (double-quoted or raw), as strconv.Unquote does. */
export function unquoteGo(literal: string): string {
  if (literal.length < 2) throw new SyntaxError();
  const quote = literal[0];
  if (quote === '`') {
    if (literal[literal.length - 1] !== '`') throw new SyntaxError();
    return literal.slice(1, -1).replace(/\r/g, '');
  }
  if (quote !== '"' || literal[literal.length - 1] !== '"') throw new SyntaxError();
  const bytes: number[] = [];
  let i = 1;
  while (i < literal.length - 1) {
    if (literal[i] === '\n') throw new SyntaxError();
    const u = unquoteChar(literal, i, quote);
    if (u.byte) bytes.push(u.value);
    else bytes.push(...Buffer.from(String.fromCodePoint(u.value), 'utf8'));
    i = u.rest;
  }
  if (i !== literal.length - 1) throw new SyntaxError();
  return fromBytes(Uint8Array.from(bytes));
}
