// Argument evaluation for function calls: conversion of constants to the
// parameter's Go type and the assignability check for computed values, with
// text/template's error texts (`wrong type for value; expected string; got int`).

import {
  MISSING,
  evalChainNode,
  evalFieldNode,
  evalFunction,
  evalPipeline,
  evalVariableNode,
} from './exec-eval.js';
import { ExecState } from './exec-state.js';
import { REFLECT_VALUE } from './funcs.js';
import * as N from './nodes.js';
import { GoType, T, assignableTo, canBeNil, typeString } from './types.js';
import { INVALID, Ref, Value, isValid, zeroValue } from './value.js';

/** Returns the value of a number constant where no type is imposed (int or float64). */
export function idealConstant(s: ExecState, constant: N.NumberNode): Value {
  s.at(constant);
  const text = constant.text;
  const isHexInt = text.length > 2 && text[0] === '0' && /[xX]/.test(text[1]) && !/[pP]/.test(text);
  const isRuneInt = text[0] === "'";
  if (constant.isComplex) s.errorf(`complex constant ${text} is not supported`);
  if (constant.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(text)) {
    return { t: T.float64, v: constant.float64 };
  }
  if (constant.isInt) return { t: T.int, v: constant.int64 };
  if (constant.isUint) s.errorf(`${text} overflows int`);
  return INVALID;
}

/** Converts a value to a parameter type, as Go's validateType does. */
export function validateType(s: ExecState, value: Value, typ: GoType | null): Value {
  if (!isValid(value)) {
    if (typ === null) return INVALID;
    if (typ === REFLECT_VALUE) return value;
    if (canBeNil(typ)) return zeroValue(typ);
    s.errorf(`invalid value; expected ${typeString(typ)}`);
  }
  if (typ === REFLECT_VALUE || typ === null || assignableTo(value.t, typ)) return value;
  let current = value;
  if (current.t.kind === 'interface' && current.v !== null) {
    current = current.v as Value;
    if (assignableTo(current.t, typ)) return current;
  }
  if (current.t.kind === 'ptr' && assignableTo(current.t.elem, typ)) {
    if (current.v === null) s.errorf(`dereference of nil pointer of type ${typeString(typ)}`);
    return (current.v as Ref).target;
  }
  s.errorf(`wrong type for value; expected ${typeString(typ)}; got ${typeString(current.t)}`);
}

function wrapInt(n: bigint, t: GoType): bigint {
  if (t.kind === 'int') return BigInt.asIntN(t.bits, n);
  if (t.kind === 'uint') return BigInt.asUintN(t.bits, n);
  return n;
}

function evalConstant(s: ExecState, typ: GoType, n: N.Node): Value {
  s.at(n);
  switch (typ.kind) {
    case 'bool':
      if (n.type === 'bool') return { t: typ, v: n.value };
      s.errorf(`expected bool; found ${N.nodeString(n)}`);
    case 'float':
      if (n.type === 'number' && n.isFloat) return { t: typ, v: n.float64 };
      s.errorf(`expected float; found ${N.nodeString(n)}`);
    case 'int':
      if (n.type === 'number' && n.isInt) return { t: typ, v: wrapInt(n.int64, typ) };
      s.errorf(`expected integer; found ${N.nodeString(n)}`);
    case 'uint':
      if (n.type === 'number' && n.isUint) return { t: typ, v: wrapInt(n.uint64, typ) };
      s.errorf(`expected unsigned integer; found ${N.nodeString(n)}`);
    case 'string':
      if (n.type === 'string') return { t: typ, v: n.text };
      s.errorf(`expected string; found ${N.nodeString(n)}`);
  }
  s.errorf(`can't handle ${N.nodeString(n)} for arg of type ${typeString(typ)}`);
}

function evalEmptyInterface(s: ExecState, dot: Value, n: N.Node): Value {
  s.at(n);
  switch (n.type) {
    case 'bool':
      return { t: T.bool, v: n.value };
    case 'dot':
      return dot;
    case 'field':
      return evalFieldNode(s, dot, n, [], MISSING);
    case 'identifier':
      return evalFunction(s, dot, n, n, null, MISSING);
    case 'nil':
      s.errorf("evalEmptyInterface: nil (can't happen)");
    case 'number':
      return idealConstant(s, n);
    case 'string':
      return { t: T.string, v: n.text };
    case 'variable':
      return evalVariableNode(s, dot, n, [], MISSING);
    case 'pipe':
      return evalPipeline(s, dot, n);
  }
  s.errorf(`can't handle assignment of ${N.nodeString(n)} to empty interface argument`);
}

/** Evaluates one argument node for a parameter of type `typ` (null: no type imposed). */
export function evalArg(s: ExecState, dot: Value, typ: GoType | null, n: N.Node): Value {
  s.at(n);
  switch (n.type) {
    case 'dot':
      return validateType(s, dot, typ);
    case 'nil':
      if (typ === REFLECT_VALUE) return INVALID;
      if (typ !== null && canBeNil(typ)) return zeroValue(typ);
      s.errorf(`cannot assign nil to ${typ === null ? '<nil>' : typeString(typ)}`);
    case 'field':
      return validateType(s, evalFieldNode(s, dot, n, [n], MISSING), typ);
    case 'variable':
      return validateType(s, evalVariableNode(s, dot, n, [], MISSING), typ);
    case 'pipe':
      return validateType(s, evalPipeline(s, dot, n), typ);
    case 'identifier':
      return validateType(s, evalFunction(s, dot, n, n, null, MISSING), typ);
    case 'chain':
      return validateType(s, evalChainNode(s, dot, n, [], MISSING), typ);
  }
  if (typ === null) s.errorf(`can't handle ${N.nodeString(n)} for arg of type <nil>`);
  if (typ === REFLECT_VALUE || typ.kind === 'interface') return evalEmptyInterface(s, dot, n);
  return evalConstant(s, typ, n);
}
