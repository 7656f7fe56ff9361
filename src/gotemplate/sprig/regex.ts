// Sprig v3.3.0 regex functions on JavaScript's engine, with Go's iteration rules
// (an empty match right after a match is skipped), Go's `$name` and `${name}`
// replacement expansion, and RE2's rejection of lookaround and backreferences.
// NOTE: a pattern that fails to compile reports JavaScript's message, not RE2's
// text, and RE2-only syntax such as `\z`, `\Q..\E` and POSIX classes beyond
// [[:alpha:]]-style sets is not translated.

import { CallError, GoFunc, fn } from '../funcs.js';
import { T, T_STRINGS } from '../types.js';
import { mk } from '../value.js';

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
};

function compile(pattern: string): RegExp {
  if (/\(\?[=!<]|\\[1-9]/.test(pattern)) {
    throw new CallError(`error parsing regexp: invalid or unsupported Perl syntax: \`${pattern}\``);
  }
  let flags = 'gu';
  let source = pattern;
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline !== null && !inline[1].includes('U')) {
    flags += inline[1];
    source = source.slice(inline[0].length);
  }
  source = source.replaceAll('(?P<', '(?<');
  source = source.replace(/\[:(\w+):\]/g, (whole, name: string) => POSIX[name] ?? whole);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new CallError(`error parsing regexp: ${(e as Error).message}`);
  }
}

interface Match {
  index: number;
  end: number;
  groups: (string | undefined)[];
  named: Record<string, string | undefined>;
}

/** Finds successive matches as Go's FindAll does; n < 0 means all. */
function findAll(re: RegExp, s: string, n: number): Match[] {
  const out: Match[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) break;
    const match = {
      index: m.index,
      end: m.index + m[0].length,
      groups: [...m],
      named: m.groups ?? {},
    };
    let accept = true;
    if (match.end === match.index) {
      if (match.index === prevEnd) accept = false;
      pos = match.index + Math.max(String.fromCodePoint(s.codePointAt(match.index) ?? 0).length, 1);
    } else pos = match.end;
    prevEnd = match.end;
    if (accept) out.push(match);
  }
  return out;
}

/** Expands `$1`, `${1}`, `$name` and `$$` in a replacement, as Go's Regexp.Expand. */
function expand(template: string, m: Match): string {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))?/g,
    (whole, _x, braced, bare) => {
      if (whole === '$$') return '$';
      const name: string | undefined = braced ?? bare;
      if (name === undefined) return '$';
      if (/^\d+$/.test(name)) return m.groups[Number(name)] ?? '';
      return m.named[name] ?? '';
    },
  );
}

function replaceAll(re: RegExp, s: string, replacement: (m: Match) => string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index);
    if (m.end > last || m.index === 0) out += replacement(m);
    last = m.end;
  }
  return out + s.slice(last);
}

function split(re: RegExp, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (re.source !== '(?:)' && s === '') return [''];
  const parts: string[] = [];
  let begin = 0;
  let end = 0;
  for (const m of findAll(re, s, n)) {
    if (n > 0 && parts.length === n - 1) break;
    end = m.index;
    if (m.end !== 0) parts.push(s.slice(begin, end));
    begin = m.end;
  }
  if (end !== s.length) parts.push(s.slice(begin));
  return parts;
}

const S = T.string;
const str = (v: { v: unknown }): string => v.v as string;

function regexFuncs(must: boolean): Record<string, GoFunc> {
  const guard = <R>(f: () => R, fallback: R): R => {
    try {
      return f();
    } catch (e) {
      if (must || !(e instanceof CallError)) throw e;
      return fallback;
    }
  };
  return {
    regexFind: fn([S, S], S, ([r, s]) =>
      mk.string(findAll(compile(str(r)), str(s), 1)[0]?.groups[0] ?? ''),
    ),
    regexFindAll: fn([S, S, T.int], T_STRINGS, ([r, s, n]) => {
      const found = findAll(compile(str(r)), str(s), Number(n.v));
      return found.length === 0
        ? { t: T_STRINGS, v: null }
        : mk.stringSlice(found.map((m) => m.groups[0] ?? ''));
    }),
    regexReplaceAll: fn([S, S, S], S, ([r, s, repl]) =>
      mk.string(replaceAll(compile(str(r)), str(s), (m) => expand(str(repl), m))),
    ),
    regexReplaceAllLiteral: fn([S, S, S], S, ([r, s, repl]) =>
      mk.string(replaceAll(compile(str(r)), str(s), () => str(repl))),
    ),
    regexSplit: fn([S, S, T.int], T_STRINGS, ([r, s, n]) => {
      const parts = split(compile(str(r)), str(s), Number(n.v));
      return parts === null ? { t: T_STRINGS, v: null } : mk.stringSlice(parts);
    }),
    regexMatch: fn([S, S], T.bool, ([r, s]) =>
      mk.bool(guard(() => findAll(compile(str(r)), str(s), 1).length > 0, false)),
    ),
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
  regexQuoteMeta: fn([S], S, ([s]) => mk.string(str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'))),
};
