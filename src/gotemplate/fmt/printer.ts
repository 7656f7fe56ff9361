// The value-walking half of Go's fmt package: how %v and the other verbs print
// each kind of value (`map[a:1]`, `[1 2]`, `{x y}`, `&{x}`, `<nil>`), Stringer
// types, and the `%!d(string=x)` texts for a verb that does not fit. Hand-written
// because Go's printed forms are part of the template output contract.

import { GoType, typeString } from '../types.js';
import { GoMap, INVALID, Ref, Value, isValid } from '../value.js';
import { Formatter, LDIGITS, UDIGITS } from './formatter.js';
import { printKind } from './print-composite.js';

/**
 * The address printed for a non-nil pointer nested inside a printed value.
 * NOTE: Go prints the real memory address there, which differs on every run, so no
 * output can match it; this fixed stand-in keeps the engine deterministic.
 */
export const POINTER_STAND_IN = 0xc000010000n;

/** Orders map keys as Go's internal/fmtsort does for basic key kinds. */
export function compareKeys(a: Value, b: Value): number {
  const x = a.v;
  const y = b.v;
  switch (a.t.kind) {
    case 'int':
    case 'uint':
      return (x as bigint) < (y as bigint) ? -1 : (x as bigint) > (y as bigint) ? 1 : 0;
    case 'float': {
      const [p, q] = [x as number, y as number];
      if (Number.isNaN(p)) return Number.isNaN(q) ? 0 : -1;
      if (Number.isNaN(q)) return 1;
      return p < q ? -1 : p > q ? 1 : 0;
    }
    case 'bool':
      return x === y ? 0 : x ? 1 : -1;
    case 'string':
      return compareStrings(x as string, y as string);
    default:
      return 0;
  }
}

/** Compares strings by UTF-8 bytes (code points), as Go's < on strings does. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if ((ca >= 0xd800 && ca <= 0xdfff) || (cb >= 0xd800 && cb <= 0xdfff)) {
      return (a.codePointAt(i) ?? 0) < (b.codePointAt(i) ?? 0) ? -1 : 1;
    }
    return ca < cb ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** Returns a map's entries sorted by key, each as [key, value]. */
export function sortedEntries(t: GoType, m: GoMap): [Value, Value][] {
  const keyType = t.kind === 'map' ? t.key : t;
  const entries: [Value, Value][] = [];
  for (const [raw, value] of m) entries.push([{ t: keyType, v: raw }, value]);
  return entries.sort((p, q) => compareKeys(p[0], q[0]));
}

export class Printer {
  readonly f = new Formatter();
  private arg: Value | null = null;
  private value: Value = INVALID;
  private erroring = false;

  /** Prints one operand as Go's pp.printArg; `INVALID` stands for a nil interface. */
  printArg(arg: Value, verb: string): void {
    this.arg = isValid(arg) ? arg : null;
    this.value = INVALID;
    if (!isValid(arg)) {
      if (verb === 'T' || verb === 'v') this.f.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.f.fmtS(typeString(arg.t));
      return;
    }
    if (verb === 'p') {
      this.fmtPointer(arg, 'p');
      return;
    }
    if (verb === 'w') {
      // Sprintf wraps no errors, so Go reports %w as a bad verb for every operand.
      this.badVerb(verb);
      return;
    }
    if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  private handleMethods(arg: Value, verb: string): boolean {
    if (this.erroring || this.f.sharpV || !'vsxXq'.includes(verb)) return false;
    const t = arg.t;
    if (t.stringer?.format !== undefined && !t.stringer.pointerReceiver) {
      this.fmtString(t.stringer.format(arg.v), verb);
      return true;
    }
    if (t.kind === 'ptr' && t.elem.stringer !== undefined) {
      const { format, nilText } = t.elem.stringer;
      if (arg.v === null) this.fmtString(nilText ?? '<nil>', verb);
      else if (format !== undefined) this.fmtString(format((arg.v as Ref).target.v), verb);
      else return false;
      return true;
    }
    return false;
  }

  badVerb(verb: string): void {
    this.erroring = true;
    this.f.write('%!' + verb + '(');
    if (this.arg !== null) {
      this.f.write(typeString(this.arg.t) + '=');
      this.printArg(this.arg, 'v');
    } else if (isValid(this.value)) {
      this.f.write(typeString(this.value.t) + '=');
      this.printValue(this.value, 'v', 0);
    } else this.f.write('<nil>');
    this.f.write(')');
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.f.fmtBoolean(v);
    else this.badVerb(verb);
  }

  private fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.f.sharp;
    this.f.sharp = leading0x;
    this.f.fmtInteger(v, 16, false, 'v', LDIGITS);
    this.f.sharp = sharp;
  }

  fmtInteger(v: bigint, signed: boolean, verb: string): void {
    const f = this.f;
    switch (verb) {
      case 'v':
        if (f.sharpV && !signed) this.fmt0x64(v, true);
        else f.fmtInteger(v, 10, signed, verb, LDIGITS);
        return;
      case 'd':
        return f.fmtInteger(v, 10, signed, verb, LDIGITS);
      case 'b':
        return f.fmtInteger(v, 2, signed, verb, LDIGITS);
      case 'o':
      case 'O':
        return f.fmtInteger(v, 8, signed, verb, LDIGITS);
      case 'x':
        return f.fmtInteger(v, 16, signed, verb, LDIGITS);
      case 'X':
        return f.fmtInteger(v, 16, signed, verb, UDIGITS);
      case 'c':
        return f.fmtC(v);
      case 'q':
        return f.fmtQc(v);
      case 'U':
        return f.fmtUnicode(v);
      default:
        this.badVerb(verb);
    }
  }

  private fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        return this.f.fmtFloat(v, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.f.fmtFloat(v, verb, -1);
      case 'f':
      case 'e':
      case 'E':
        return this.f.fmtFloat(v, verb, 6);
      case 'F':
        return this.f.fmtFloat(v, 'f', 6);
      default:
        this.badVerb(verb);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        return this.f.sharpV ? this.f.fmtQ(v) : this.f.fmtS(v);
      case 's':
        return this.f.fmtS(v);
      case 'x':
        return this.f.fmtSx(v, LDIGITS);
      case 'X':
        return this.f.fmtSx(v, UDIGITS);
      case 'q':
        return this.f.fmtQ(v);
      default:
        this.badVerb(verb);
    }
  }

  private fmtBytes(value: Value, verb: string): void {
    const items = (value.v as Value[] | null) ?? [];
    const bytes = Uint8Array.from(items.map((b) => Number(b.v as bigint)));
    switch (verb) {
      case 'v':
      case 'd':
        if (this.f.sharpV) return this.printSharpList(value, verb);
        this.f.write('[');
        bytes.forEach((c, i) => {
          if (i > 0) this.f.write(' ');
          this.f.fmtInteger(BigInt(c), 10, false, verb, LDIGITS);
        });
        this.f.write(']');
        return;
      case 's':
        return this.f.fmtS(Buffer.from(bytes).toString('utf8'));
      case 'x':
        return this.f.fmtSbx(bytes, LDIGITS);
      case 'X':
        return this.f.fmtSbx(bytes, UDIGITS);
      case 'q':
        return this.f.fmtQ(Buffer.from(bytes).toString('utf8'));
    }
  }

  fmtPointer(value: Value, verb: string): void {
    const kind = value.t.kind;
    if (!['func', 'map', 'ptr', 'slice'].includes(kind)) {
      this.badVerb(verb);
      return;
    }
    const u = value.v === null ? 0n : POINTER_STAND_IN;
    switch (verb) {
      case 'v':
        if (this.f.sharpV) {
          this.f.write(`(${typeString(value.t)})(`);
          if (u === 0n) this.f.write('nil');
          else this.fmt0x64(u, true);
          this.f.write(')');
        } else if (u === 0n) this.f.pad('<nil>');
        else this.fmt0x64(u, !this.f.sharp);
        return;
      case 'p':
        return this.fmt0x64(u, !this.f.sharp);
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        return this.fmtInteger(u, false, verb);
      default:
        this.badVerb(verb);
    }
  }

  printValue(value: Value, verb: string, depth: number): void {
    if (depth > 0 && isValid(value) && value.t.kind !== 'interface') {
      this.arg = value;
      if (this.handleMethods(value, verb)) return;
    }
    this.arg = null;
    this.value = value;
    printKind(this, value, verb, depth);
  }

  printSharpList(value: Value, verb: string): void {
    this.f.write(typeString(value.t));
    if (value.v === null) {
      this.f.write('(nil)');
      return;
    }
    this.f.write('{');
    (value.v as Value[]).forEach((item, i) => {
      if (i > 0) this.f.write(', ');
      this.printValue(item, verb, 1);
    });
    this.f.write('}');
  }

  printBytesOrList(value: Value, verb: string, depth: number): void {
    const elemKind = value.t.kind === 'slice' ? value.t.elem : undefined;
    const isBytes = elemKind?.kind === 'uint' && elemKind.bits === 8;
    if (isBytes && 'sqxX'.includes(verb)) return this.fmtBytes(value, verb);
    if (this.f.sharpV) return this.printSharpList(value, verb);
    this.f.write('[');
    ((value.v as Value[] | null) ?? []).forEach((item, i) => {
      if (i > 0) this.f.write(' ');
      this.printValue(item, verb, depth + 1);
    });
    this.f.write(']');
  }

  fmtScalar(value: Value, verb: string): boolean {
    switch (value.t.kind) {
      case 'bool':
        this.fmtBool(value.v as boolean, verb);
        return true;
      case 'int':
      case 'uint':
        this.fmtInteger(value.v as bigint, value.t.kind === 'int', verb);
        return true;
      case 'float':
        this.fmtFloat(value.v as number, verb);
        return true;
      case 'string':
        this.fmtString(value.v as string, verb);
        return true;
      default:
        return false;
    }
  }
}
