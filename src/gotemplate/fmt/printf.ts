// Go's fmt.Sprint, Sprintln and Sprintf over typed values, including argument
// indexes (`%[2]d`), `*` widths and Go's texts for bad formats (`%!d(MISSING)`,
// `%!(EXTRA int=1)`). Arguments are dynamic values; `INVALID` is a nil interface.

import { typeString } from '../types.js';
import { Value, isValid } from '../value.js';
import { Printer } from './printer.js';

/** Formats operands as Go's fmt.Sprint: spaces only between two non-string operands. */
export function sprint(args: Value[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = isValid(arg) && arg.t.kind === 'string';
    if (i > 0 && !isString && !prevString) p.f.write(' ');
    p.printArg(arg, 'v');
    prevString = isString;
  });
  return p.f.buf;
}

/** Formats operands as Go's fmt.Sprintln: spaces between all, newline at the end. */
export function sprintln(args: Value[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.f.write(' ');
    p.printArg(arg, 'v');
  });
  p.f.write('\n');
  return p.f.buf;
}

const MAX_WIDTH = 1e6;

function parseNum(
  s: string,
  start: number,
  end: number,
): { num: number; ok: boolean; next: number } {
  let i = start;
  let num = 0;
  let ok = false;
  while (i < end && s[i] >= '0' && s[i] <= '9') {
    if (num > MAX_WIDTH) return { num: 0, ok: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    ok = true;
    i++;
  }
  return { num, ok, next: i };
}

function intFromArg(args: Value[], argNum: number): { num: number; isInt: boolean; next: number } {
  if (argNum >= args.length) return { num: 0, isInt: false, next: argNum };
  const a = args[argNum];
  let num = 0;
  let isInt = false;
  if (isValid(a) && (a.t.kind === 'int' || a.t.kind === 'uint')) {
    const n = a.v as bigint;
    if (n >= -(1n << 63n) && n < 1n << 63n) {
      num = Number(n);
      isInt = true;
    }
  }
  if (num > MAX_WIDTH || num < -MAX_WIDTH) return { num: 0, isInt: false, next: argNum + 1 };
  return { num, isInt, next: argNum + 1 };
}

class FormatState {
  argNum = 0;
  i = 0;
  afterIndex = false;
  reordered = false;
  goodArgNum = true;

  constructor(
    readonly format: string,
    readonly args: Value[],
  ) {}

  /** Reads an explicit argument index such as `[2]` at the cursor, as Go's argNumber. */
  argNumber(): void {
    const { format } = this;
    if (this.i >= format.length || format[this.i] !== '[') {
      this.afterIndex = false;
      return;
    }
    this.reordered = true;
    const rest = format.slice(this.i);
    let index = 0;
    let width = 1;
    let ok = false;
    const close = rest.length >= 3 ? rest.indexOf(']', 1) : -1;
    if (close >= 1) {
      const parsed = parseNum(rest, 1, close);
      width = close + 1;
      ok = parsed.ok && parsed.next === close;
      index = parsed.num - 1;
    }
    this.i += width;
    if (ok && index >= 0 && index < this.args.length) {
      this.argNum = index;
      this.afterIndex = true;
      return;
    }
    this.goodArgNum = false;
    this.afterIndex = ok;
  }
}

function readFlags(p: Printer, s: FormatState): boolean {
  const { format, args } = s;
  for (; s.i < format.length; s.i++) {
    const c = format[s.i];
    if (c === '#') p.f.sharp = true;
    else if (c === '0') p.f.zero = true;
    else if (c === '+') p.f.plus = true;
    else if (c === '-') p.f.minus = true;
    else if (c === ' ') p.f.space = true;
    else {
      if (c >= 'a' && c <= 'z' && s.argNum < args.length) {
        if (c === 'v' || c === 'w') setV(p);
        p.printArg(args[s.argNum], c);
        s.argNum++;
        s.i++;
        return true;
      }
      return false;
    }
  }
  return false;
}

function setV(p: Printer): void {
  p.f.sharpV = p.f.sharp;
  p.f.sharp = false;
  p.f.plusV = p.f.plus;
  p.f.plus = false;
}

function readWidthAndPrecision(p: Printer, s: FormatState): void {
  const { format, args } = s;
  const f = p.f;
  s.argNumber();
  if (s.i < format.length && format[s.i] === '*') {
    s.i++;
    const w = intFromArg(args, s.argNum);
    [f.wid, f.widPresent, s.argNum] = [w.num, w.isInt, w.next];
    if (!f.widPresent) f.write('%!(BADWIDTH)');
    if (f.wid < 0) {
      f.wid = -f.wid;
      f.minus = true;
      f.zero = false;
    }
    s.afterIndex = false;
  } else {
    const w = parseNum(format, s.i, format.length);
    [f.wid, f.widPresent, s.i] = [w.num, w.ok, w.next];
    if (s.afterIndex && f.widPresent) s.goodArgNum = false;
  }
  if (s.i + 1 < format.length && format[s.i] === '.') {
    s.i++;
    if (s.afterIndex) s.goodArgNum = false;
    s.argNumber();
    if (s.i < format.length && format[s.i] === '*') {
      s.i++;
      const w = intFromArg(args, s.argNum);
      [f.prec, f.precPresent, s.argNum] = [w.num, w.isInt, w.next];
      if (f.prec < 0) {
        f.prec = 0;
        f.precPresent = false;
      }
      if (!f.precPresent) f.write('%!(BADPREC)');
      s.afterIndex = false;
    } else {
      const w = parseNum(format, s.i, format.length);
      [f.prec, f.precPresent, s.i] = [w.num, w.ok, w.next];
      if (!f.precPresent) {
        f.prec = 0;
        f.precPresent = true;
      }
    }
  }
  if (!s.afterIndex) s.argNumber();
}

function printVerb(p: Printer, s: FormatState, verb: string): void {
  if (verb === '%') p.f.write('%');
  else if (!s.goodArgNum) p.f.write(`%!${verb}(BADINDEX)`);
  else if (s.argNum >= s.args.length) p.f.write(`%!${verb}(MISSING)`);
  else {
    if (verb === 'v' || verb === 'w') setV(p);
    p.printArg(s.args[s.argNum], verb);
    s.argNum++;
  }
}

function writeExtra(p: Printer, s: FormatState): void {
  p.f.clearFlags();
  p.f.write('%!(EXTRA ');
  s.args.slice(s.argNum).forEach((arg, i) => {
    if (i > 0) p.f.write(', ');
    if (!isValid(arg)) p.f.write('<nil>');
    else {
      p.f.write(typeString(arg.t) + '=');
      p.printArg(arg, 'v');
    }
  });
  p.f.write(')');
}

/** Formats operands as Go's fmt.Sprintf. */
export function sprintf(format: string, args: Value[]): string {
  const p = new Printer();
  const s = new FormatState(format, args);
  const end = format.length;
  while (s.i < end) {
    s.goodArgNum = true;
    const percent = format.indexOf('%', s.i);
    const stop = percent < 0 ? end : percent;
    if (stop > s.i) p.f.write(format.slice(s.i, stop));
    s.i = stop;
    if (s.i >= end) break;
    s.i++;
    p.f.clearFlags();
    if (readFlags(p, s)) continue;
    readWidthAndPrecision(p, s);
    if (s.i >= end) {
      p.f.write('%!(NOVERB)');
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(s.i) ?? 0);
    s.i += verb.length;
    printVerb(p, s, verb);
  }
  if (!s.reordered && s.argNum < args.length) writeExtra(p, s);
  return p.f.buf;
}
