// Escapers behind the html, js and urlquery builtins, byte-compatible with Go's
// template.HTMLEscapeString, JSEscapeString and url.QueryEscape (whose choices of
// `&#34;`, `\u003C` and `+` differ from JavaScript's encodeURIComponent).

import { isPrint } from '../quote.js';
import { toBytes } from '../value.js';

const HTML_ESCAPES: Record<string, string> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]);
}

const JS_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const simple = JS_ESCAPES[ch];
    if (simple !== undefined) out += simple;
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80) out += ch;
    else if (isPrint(cp)) out += ch;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

function unreservedInQuery(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x7e
  );
}

/** Escapes a string for a URL query as Go's url.QueryEscape (space becomes `+`). */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of toBytes(s)) {
    if (unreservedInQuery(b)) out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
