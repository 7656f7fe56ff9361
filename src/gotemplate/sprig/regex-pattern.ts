// Reads a Go regular expression without compiling it. Compiling expands every
// counted repetition, so `x{1000}` written 300 times is 300,000 instructions and
// takes seconds that no deadline can interrupt. The size estimate here lets the
// caller reject such a pattern first. The scan also finds named groups, because
// Go's regexp accepts a group name used twice and re2js 2.10.0 rejects it.

/** A named group `(?P<name>` or `(?<name>`, with the offsets of its name. */
export interface NamedGroup {
  name: string;
  start: number;
  end: number;
}

export interface PatternScan {
  /**
   * Estimated instructions of the compiled program: repetitions multiply, each
   * atom is one instruction. It is close to re2js's count for patterns made of
   * literals, classes and repetitions, and may differ for other patterns.
   */
  estimatedSize: number;
  namedGroups: NamedGroup[];
}

/** Go accepts repeat counts up to 1000; a larger one fails to compile, so the estimate caps it. */
const MAX_REPEAT = 1001;

interface Frame {
  /** Size of the finished alternatives of the group. */
  finished: number;
  /** Size of the alternative being read. */
  branch: number;
  /** Size of the last atom, which a following repetition applies to. */
  last: number;
  alternatives: number;
  capture: boolean;
}

function newFrame(capture: boolean): Frame {
  return { finished: 0, branch: 0, last: 0, alternatives: 0, capture };
}

function frameSize(frame: Frame): number {
  return frame.finished + frame.branch + frame.alternatives + (frame.capture ? 2 : 0);
}

function addAtom(frame: Frame, size: number): void {
  frame.branch += size;
  frame.last = size;
}

/** Returns the offset after the first `}` at or after `from`, or the pattern's length when there is none. */
function closingBrace(pattern: string, from: number): number {
  const end = pattern.indexOf('}', from);
  return end < 0 ? pattern.length : end + 1;
}

/** Skips one escape that starts at the backslash and returns the offset after it and the atoms it adds. */
function skipEscape(pattern: string, at: number): { next: number; atoms: number } {
  const kind = pattern[at + 1];
  if (kind === undefined) return { next: at + 1, atoms: 1 };
  if (kind === 'Q') {
    const end = pattern.indexOf('\\E', at + 2);
    const stop = end < 0 ? pattern.length : end;
    return { next: end < 0 ? pattern.length : end + 2, atoms: Math.max(stop - (at + 2), 0) };
  }
  if ((kind === 'p' || kind === 'P' || kind === 'x') && pattern[at + 2] === '{') {
    return { next: closingBrace(pattern, at + 3), atoms: 1 };
  }
  if (kind === 'p' || kind === 'P') return { next: at + 3, atoms: 1 };
  return { next: at + 2, atoms: 1 };
}

/** Skips a bracketed class that starts at `[` and returns the offset after its `]`. */
function skipClass(pattern: string, at: number): number {
  let i = at + 1;
  if (pattern[i] === '^') i++;
  // A `]` right after the opening bracket is a literal.
  if (pattern[i] === ']') i++;
  while (i < pattern.length && pattern[i] !== ']') {
    if (pattern[i] === '\\') {
      i = skipEscape(pattern, i).next;
    } else if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      i = end < 0 ? i + 1 : end + 2;
    } else {
      i++;
    }
  }
  return i + 1;
}

/**
 * Reads `{n}`, `{n,}` or `{n,m}` at `at`: RE2 writes out `copies` copies of the
 * atom and one split instruction for each of the `optional` ones. Returns
 * undefined when the brace is a literal `{`.
 */
function readRepeat(
  pattern: string,
  at: number,
): { next: number; copies: number; optional: number } | undefined {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at, at + 24));
  if (match === null) return undefined;
  const min = Math.min(Number(match[1]), MAX_REPEAT);
  const next = at + match[0].length;
  if (match[2] === undefined) return { next, copies: min, optional: 0 };
  // `{n,}` is n copies with the last one repeated by a loop.
  if (match[3] === '') return { next, copies: Math.max(min, 1), optional: 1 };
  const max = Math.max(Math.min(Number(match[3]), MAX_REPEAT), min);
  return { next, copies: max, optional: max - min };
}

type GroupStart =
  | { kind: 'flags'; next: number }
  | { kind: 'group'; next: number; capture: boolean; name?: NamedGroup };

/** Reads what follows `(`: a capture, a named capture, a non-capturing group or a flag setting. */
function readGroupStart(pattern: string, at: number): GroupStart {
  if (pattern[at + 1] !== '?') return { kind: 'group', next: at + 1, capture: true };
  const named = /^\(\?P?<([^>=!]*)>/.exec(pattern.slice(at, at + 256));
  if (named !== null) {
    const start = at + named[0].length - 1 - named[1].length;
    const name = { name: named[1], start, end: start + named[1].length };
    return { kind: 'group', next: at + named[0].length, capture: true, name };
  }
  let i = at + 2;
  while (i < pattern.length && /[A-Za-z-]/.test(pattern[i])) i++;
  if (pattern[i] === ')') return { kind: 'flags', next: i + 1 };
  if (pattern[i] === ':') return { kind: 'group', next: i + 1, capture: false };
  // Anything else, such as lookaround, fails to compile; read on as a group.
  return { kind: 'group', next: at + 2, capture: false };
}

export function scanPattern(pattern: string): PatternScan {
  const namedGroups: NamedGroup[] = [];
  const stack: Frame[] = [newFrame(false)];
  let top = stack[0];
  const closeGroup = (): void => {
    const size = frameSize(top);
    stack.pop();
    top = stack[stack.length - 1];
    addAtom(top, size);
  };

  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const escape = skipEscape(pattern, i);
      top.branch += escape.atoms;
      top.last = 1;
      i = escape.next;
    } else if (c === '[') {
      addAtom(top, 1);
      i = skipClass(pattern, i);
    } else if (c === '(') {
      const group = readGroupStart(pattern, i);
      i = group.next;
      if (group.kind === 'flags') continue;
      if (group.name !== undefined) namedGroups.push(group.name);
      top = newFrame(group.capture);
      stack.push(top);
    } else if (c === ')' && stack.length > 1) {
      closeGroup();
      i++;
    } else if (c === '|') {
      top.finished += top.branch;
      top.alternatives++;
      top.branch = 0;
      top.last = 0;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      top.branch += 1;
      top.last += 1;
      i++;
    } else {
      const repeat = c === '{' ? readRepeat(pattern, i) : undefined;
      if (repeat === undefined) {
        addAtom(top, 1);
        i++;
      } else {
        const size = top.last * repeat.copies + repeat.optional;
        top.branch += size - top.last;
        top.last = size;
        i = repeat.next;
      }
    }
  }
  while (stack.length > 1) closeGroup();
  // The program also contains the match instruction and the captures of the whole match.
  return { estimatedSize: frameSize(top) + 3, namedGroups };
}

/** A pattern with every repeated group name after the first made unique, and the way back. */
export interface RenamedPattern {
  pattern: string;
  /** Original name of each generated name. */
  originalNames: Map<string, string>;
}

/** Gives each repeated group name after its first use a generated name that the pattern does not contain. */
export function renameDuplicateGroups(pattern: string, groups: NamedGroup[]): RenamedPattern {
  const seen = new Set<string>();
  const originalNames = new Map<string, string>();
  let out = '';
  let copied = 0;
  let counter = 0;
  for (const group of groups) {
    if (!seen.has(group.name)) {
      seen.add(group.name);
      continue;
    }
    let generated: string;
    do generated = `dup${counter++}_${group.name}`;
    while (pattern.includes(generated) || originalNames.has(generated));
    originalNames.set(generated, group.name);
    out += pattern.slice(copied, group.start) + generated;
    copied = group.end;
  }
  return { pattern: out + pattern.slice(copied), originalNames };
}
