// Sprig v3.3.0 regex functions on re2js 2.10.0, a port of RE2 with Go's syntax
// and linear-time matching, so no pattern makes a search backtrack. The loops
// over successive matches follow Go's regexp package (allMatches, replaceAll,
// Split, Expand), and compile errors read as Go's `regexp` error texts. Every
// call is bounded by the execution limits: the program size, the input length
// times the program size, the string and list limits, and the deadline, which
// is checked between searches because one search cannot be interrupted.

import { RE2JS, RE2JSSyntaxException } from 're2js';
import { CallContext, CallError, GoFunc, fn } from '../funcs.js';
import { canBackquote, quoteGo } from '../quote.js';
import { T, T_STRINGS } from '../types.js';
import { Value, byteLength, mk } from '../value.js';
import { renameDuplicateGroups, scanPattern, type RenamedPattern } from './regex-pattern.js';

type Program = ReturnType<RE2JS['re2']>;

/** RE2's anchor flag for a search that may start anywhere after the given position. */
const UNANCHORED = 0;

interface Regexp {
  /** The pattern as written, which Go's Split tests for emptiness. */
  expr: string;
  program: Program;
  instructions: number;
  /** Group names by group number, '' for an unnamed group, as Go's SubexpNames. */
  subexpNames: string[];
}

/** A pattern that does not compile; the message is Go's `regexp` error text. */
class RegexSyntaxError extends CallError {
  override name = 'RegexSyntaxError';
}

/** Formats a re2js syntax error as Go's syntax.Error: `error parsing regexp: CODE: `EXPR``. */
function goSyntaxMessage(
  error: RE2JSSyntaxException,
  expr: string,
  renamed: RenamedPattern,
): string {
  let input = error.input ?? '';
  // Go reports these two with the whole expression; re2js 2.10.0 leaves it out.
  if (error.error === 'expression too large' || error.error === 'expression nests too deeply') {
    input = expr;
  }
  for (const [generated, original] of renamed.originalNames) {
    input = input.replaceAll(generated, original);
  }
  return `error parsing regexp: ${error.error}: \`${input}\``;
}

/**
 * Compiles a pattern as Go's regexp.Compile does, after the size limits.
 * NOTE: a pattern over a size limit gets the limit error even where Go would
 * report a syntax error, such as `(x{1000}){1000}`, because compiling it is
 * what the limits avoid.
 */
function compile(expr: string, ctx: CallContext): Regexp {
  ctx.checkRegexPatternBytes(byteLength(expr));
  const scan = scanPattern(expr);
  ctx.checkRegexProgramSize(scan.estimatedSize, true);
  const renamed = renameDuplicateGroups(expr, scan.namedGroups);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(renamed.pattern);
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) {
      throw new RegexSyntaxError(goSyntaxMessage(e, expr, renamed));
    }
    throw e;
  }
  const program = compiled.re2();
  const instructions = program.numberOfInstructions() as number;
  ctx.checkRegexProgramSize(instructions, false);
  const subexpNames = new Array<string>(program.numberOfCapturingGroups() + 1).fill('');
  for (const [name, index] of Object.entries(program.namedGroups)) {
    subexpNames[index] = renamed.originalNames.get(name) ?? name;
  }
  return { expr, program, instructions, subexpNames };
}

/** Go's regexp.MustCompile, whose panic text text/template reports for the non-must functions. */
function mustCompile(expr: string, ctx: CallContext): Regexp {
  try {
    return compile(expr, ctx);
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    const quoted = canBackquote(expr) ? `\`${expr}\`` : quoteGo(expr);
    throw new CallError(`regexp: Compile(${quoted}): ${e.message}`);
  }
}

/** Checks the input against the string limit and the search work limit. */
function checkInput(re: Regexp, s: string, ctx: CallContext): void {
  ctx.checkStringLength(byteLength(s));
  ctx.checkRegexSteps(re.instructions, s.length);
}

/**
 * Runs one search from `pos` and returns the offsets of the match and its
 * first `groups - 1` groups (-1 for a group that did not match), or null.
 */
function search(re: Regexp, s: string, pos: number, groups: number): number[] | null {
  const [found, offsets] = re.program.matchWithGroup(s, pos, s.length, UNANCHORED, groups) as [
    boolean,
    number[] | null,
  ];
  return found ? (offsets ?? []) : null;
}

/** Returns the width in UTF-16 code units of the character at `pos`, 0 at the end. */
function charWidth(s: string, pos: number): number {
  if (pos >= s.length) return 0;
  const code = s.codePointAt(pos) ?? 0;
  return code > 0xffff ? 2 : 1;
}

/**
 * Finds up to `n` successive matches (all when n < 0) as Go's allMatches: an
 * empty match right after the previous match is skipped.
 */
function findAll(re: Regexp, s: string, n: number, ctx: CallContext): [number, number][] {
  const matches: [number, number][] = [];
  let pos = 0;
  let prevMatchEnd = -1;
  while ((n < 0 || matches.length < n) && pos <= s.length) {
    ctx.checkDeadline();
    const match = search(re, s, pos, 1);
    if (match === null) break;
    const [start, end] = match;
    let accept = true;
    if (end === pos) {
      if (start === prevMatchEnd) accept = false;
      const width = charWidth(s, pos);
      pos = width > 0 ? pos + width : s.length + 1;
    } else {
      pos = end;
    }
    prevMatchEnd = end;
    if (accept) {
      matches.push([start, end]);
      ctx.checkLength(matches.length);
    }
  }
  return matches;
}

/** Returns whether a code point is a letter or a decimal digit, as Go's unicode.IsLetter and IsDigit. */
function isNameChar(ch: string): boolean {
  return ch === '_' || /^[\p{L}\p{Nd}]$/u.test(ch);
}

/** Reads a group reference after `$`: `name`, `{name}`, `1` or `{1}`, as Go's extract; undefined when malformed. */
function extractReference(
  template: string,
  at: number,
): { name: string; num: number; next: number } | undefined {
  let i = at;
  const brace = template[i] === '{';
  if (brace) i++;
  const start = i;
  while (i < template.length) {
    const ch = String.fromCodePoint(template.codePointAt(i) ?? 0);
    if (!isNameChar(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = template.slice(start, i);
  if (brace) {
    if (template[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + Number(ch);
  }
  // Go takes a name with a leading zero, such as `01`, as a name, not a number.
  if (name[0] === '0' && name.length > 1) num = -1;
  return { name, num, next: i };
}

/** Expands `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement as Go's Regexp.Expand. */
function expand(re: Regexp, template: string, s: string, match: number[]): string {
  const group = (index: number): string | undefined => {
    if (2 * index + 1 >= match.length || match[2 * index] < 0) return undefined;
    return s.slice(match[2 * index], match[2 * index + 1]);
  };
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const reference = extractReference(template, i);
    if (reference === undefined) {
      out += '$';
      continue;
    }
    i = reference.next;
    if (reference.num >= 0) {
      out += group(reference.num) ?? '';
      continue;
    }
    for (const [index, name] of re.subexpNames.entries()) {
      const text = name === reference.name ? group(index) : undefined;
      if (text !== undefined) {
        out += text;
        break;
      }
    }
  }
  return out + template.slice(i);
}

/** Replaces every match as Go's Regexp.replaceAll; `replacement` gets the match offsets. */
function replaceAll(
  re: Regexp,
  s: string,
  groups: number,
  replacement: (match: number[]) => string,
  ctx: CallContext,
): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= s.length) {
    ctx.checkDeadline();
    const match = search(re, s, searchPos, groups);
    if (match === null) break;
    out += s.slice(lastMatchEnd, match[0]);
    // No replacement for an empty match right after the previous match.
    if (match[1] > lastMatchEnd || match[0] === 0) out += replacement(match);
    // A code unit is at least one UTF-8 byte, so the length is a cheap lower bound.
    ctx.checkStringLength(out.length);
    lastMatchEnd = match[1];
    const width = charWidth(s, searchPos);
    if (searchPos + width > match[1]) searchPos += width;
    else if (searchPos + 1 > match[1]) searchPos++;
    else searchPos = match[1];
  }
  out += s.slice(lastMatchEnd);
  ctx.checkStringLength(byteLength(out));
  return out;
}

/** Go's Regexp.Split: n == 0 gives nil, n > 0 at most n parts, n < 0 all parts. */
function split(re: Regexp, s: string, n: number, ctx: CallContext): string[] | null {
  if (n === 0) return null;
  if (re.expr !== '' && s === '') return [''];
  const parts: string[] = [];
  let begin = 0;
  let end = 0;
  for (const [start, stop] of findAll(re, s, n, ctx)) {
    if (n > 0 && parts.length === n - 1) break;
    end = start;
    if (stop !== 0) parts.push(s.slice(begin, end));
    begin = stop;
  }
  if (end !== s.length) parts.push(s.slice(begin));
  return parts;
}

/** Go's regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

const S = T.string;
const str = (v: Value): string => v.v as string;
const stringsOrNil = (items: string[] | null): Value =>
  items === null || items.length === 0 ? { t: T_STRINGS, v: null } : mk.stringSlice(items);

function findString(re: Regexp, s: string, ctx: CallContext): string {
  checkInput(re, s, ctx);
  const match = search(re, s, 0, 1);
  return match === null ? '' : s.slice(match[0], match[1]);
}

function findAllStrings(re: Regexp, s: string, n: number, ctx: CallContext): string[] {
  checkInput(re, s, ctx);
  return findAll(re, s, n, ctx).map(([start, end]) => s.slice(start, end));
}

function replaceAllString(re: Regexp, s: string, template: string, ctx: CallContext): string {
  checkInput(re, s, ctx);
  // Go's ReplaceAllString requests the groups only when the replacement can refer to them.
  const groups = template.includes('$') ? re.subexpNames.length : 1;
  return replaceAll(re, s, groups, (match) => expand(re, template, s, match), ctx);
}

function replaceAllLiteral(re: Regexp, s: string, literal: string, ctx: CallContext): string {
  checkInput(re, s, ctx);
  return replaceAll(re, s, 1, () => literal, ctx);
}

function splitString(re: Regexp, s: string, n: number, ctx: CallContext): string[] | null {
  checkInput(re, s, ctx);
  return split(re, s, n, ctx);
}

function matchString(re: Regexp, s: string, ctx: CallContext): boolean {
  checkInput(re, s, ctx);
  return search(re, s, 0, 0) !== null;
}

/**
 * The plain functions compile with Go's MustCompile, whose panic text/template
 * reports as an error, except regexMatch, which returns false for a bad
 * pattern. The must* functions report Go's compile error itself.
 */
function regexFuncs(must: boolean): Record<string, GoFunc> {
  const compileFor = must ? compile : mustCompile;
  return {
    regexFind: fn([S, S], S, ([r, s], ctx) =>
      mk.string(findString(compileFor(str(r), ctx), str(s), ctx)),
    ),
    regexFindAll: fn([S, S, T.int], T_STRINGS, ([r, s, n], ctx) =>
      stringsOrNil(findAllStrings(compileFor(str(r), ctx), str(s), Number(n.v), ctx)),
    ),
    regexReplaceAll: fn([S, S, S], S, ([r, s, repl], ctx) =>
      mk.string(replaceAllString(compileFor(str(r), ctx), str(s), str(repl), ctx)),
    ),
    regexReplaceAllLiteral: fn([S, S, S], S, ([r, s, repl], ctx) =>
      mk.string(replaceAllLiteral(compileFor(str(r), ctx), str(s), str(repl), ctx)),
    ),
    regexSplit: fn([S, S, T.int], T_STRINGS, ([r, s, n], ctx) => {
      const parts = splitString(compileFor(str(r), ctx), str(s), Number(n.v), ctx);
      return parts === null ? { t: T_STRINGS, v: null } : mk.stringSlice(parts);
    }),
    regexMatch: fn([S, S], T.bool, ([r, s], ctx) => {
      let re: Regexp;
      try {
        re = compile(str(r), ctx);
      } catch (e) {
        if (must || !(e instanceof RegexSyntaxError)) throw e;
        return mk.bool(false);
      }
      return mk.bool(matchString(re, str(s), ctx));
    }),
  };
}

const plain = regexFuncs(false);
const checked = regexFuncs(true);

export const regexFuncMap: Record<string, GoFunc> = {
  ...plain,
  mustRegexFind: checked.regexFind,
  mustRegexFindAll: checked.regexFindAll,
  mustRegexReplaceAll: checked.regexReplaceAll,
  mustRegexReplaceAllLiteral: checked.regexReplaceAllLiteral,
  mustRegexSplit: checked.regexSplit,
  mustRegexMatch: checked.regexMatch,
  regexQuoteMeta: fn([S], S, ([s]) => mk.string(quoteMeta(str(s)))),
};
