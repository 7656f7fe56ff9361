// How Go's fmt prints composite values (maps, structs, slices, pointers and
// interfaces) with %v, %+v and %#v, split from the printer so each stays small.

import { typeString } from '../types.js';
import { GoMap, Ref, Value } from '../value.js';
import { Printer, sortedEntries } from './printer.js';

function printMap(p: Printer, value: Value, verb: string, depth: number): void {
  const f = p.f;
  if (f.sharpV) {
    f.write(typeString(value.t));
    if (value.v === null) {
      f.write('(nil)');
      return;
    }
    f.write('{');
  } else f.write('map[');
  const entries = value.v === null ? [] : sortedEntries(value.t, value.v as GoMap);
  entries.forEach(([key, item], i) => {
    if (i > 0) f.write(f.sharpV ? ', ' : ' ');
    p.printValue(key, verb, depth + 1);
    f.write(':');
    p.printValue(item, verb, depth + 1);
  });
  f.write(f.sharpV ? '}' : ']');
}

function printStruct(p: Printer, value: Value, verb: string, depth: number): void {
  const f = p.f;
  if (value.t.kind !== 'struct') return;
  if (f.sharpV) f.write(typeString(value.t));
  f.write('{');
  const fields = value.v as Value[];
  value.t.fields.forEach((field, i) => {
    if (i > 0) f.write(f.sharpV ? ', ' : ' ');
    if (f.plusV || f.sharpV) f.write(field.name + ':');
    p.printValue(fields[i], verb, depth + 1);
  });
  f.write('}');
}

function printInterface(p: Printer, value: Value, verb: string, depth: number): void {
  if (value.v === null) {
    p.f.write(p.f.sharpV ? typeString(value.t) + '(nil)' : '<nil>');
    return;
  }
  p.printValue(value.v as Value, verb, depth + 1);
}

function printPointer(p: Printer, value: Value, verb: string, depth: number): void {
  if (depth === 0 && value.v !== null) {
    const target = (value.v as Ref).target;
    if (['slice', 'struct', 'map'].includes(target.t.kind)) {
      p.f.write('&');
      p.printValue(target, verb, depth + 1);
      return;
    }
  }
  p.fmtPointer(value, verb);
}

/** Prints a value by its kind, as the body of Go's pp.printValue. */
export function printKind(p: Printer, value: Value, verb: string, depth: number): void {
  if (p.fmtScalar(value, verb)) return;
  switch (value.t.kind) {
    case 'invalid':
      if (depth === 0) p.f.write('<invalid reflect.Value>');
      else if (verb === 'v') p.f.write('<nil>');
      else p.badVerb(verb);
      return;
    case 'map':
      return printMap(p, value, verb, depth);
    case 'struct':
      return printStruct(p, value, verb, depth);
    case 'interface':
      return printInterface(p, value, verb, depth);
    case 'slice':
      return p.printBytesOrList(value, verb, depth);
    case 'ptr':
      return printPointer(p, value, verb, depth);
    case 'func':
      return p.fmtPointer(value, verb);
  }
}
