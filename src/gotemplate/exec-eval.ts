// Evaluation of pipelines, commands, fields, variables and function calls, with
// text/template's rules for field lookup through pointers and maps, nil pointers,
// missing map keys (the invalid value, printed `<no value>`) and argument checks.

import { ExecState } from './exec-state.js';
import { evalArg, idealConstant, validateType } from './exec-args.js';
import { CallError, GoFunc, LimitError, REFLECT_VALUE } from './funcs.js';
import * as N from './nodes.js';
import { T, assignableTo, findField, typeString } from './types.js';
import {
  GoMap,
  INVALID,
  Value,
  boxAny,
  byteLength,
  indirect,
  indirectInterface,
  isTrue,
  isValid,
} from './value.js';

/** Stands for "no value piped in", distinct from any real value. */
export const MISSING: Value = { t: { kind: 'struct', name: 'missing', fields: [] }, v: undefined };

export function isMissing(v: Value): boolean {
  return v === MISSING;
}

export function evalPipeline(s: ExecState, dot: Value, pipe: N.PipeNode | null): Value {
  if (pipe === null) return INVALID;
  s.at(pipe);
  let value = MISSING;
  for (const cmd of pipe.cmds) {
    value = evalCommand(s, dot, cmd, value);
    if (value.t.kind === 'interface') value = indirectInterface(value);
  }
  for (const variable of pipe.decl) {
    if (pipe.isAssign) s.setVar(variable.ident[0], value);
    else s.push(variable.ident[0], value);
  }
  return value;
}

function notAFunction(s: ExecState, args: N.Node[], final: Value): void {
  if (args.length > 1 || !isMissing(final)) {
    s.errorf(`can't give argument to non-function ${N.nodeString(args[0])}`);
  }
}

function evalCommand(s: ExecState, dot: Value, cmd: N.CommandNode, final: Value): Value {
  const first = cmd.args[0];
  switch (first.type) {
    case 'field':
      return evalFieldNode(s, dot, first, cmd.args, final);
    case 'chain':
      return evalChainNode(s, dot, first, cmd.args, final);
    case 'identifier':
      return evalFunction(s, dot, first, cmd, cmd.args, final);
    case 'pipe':
      notAFunction(s, cmd.args, final);
      return evalPipeline(s, dot, first);
    case 'variable':
      return evalVariableNode(s, dot, first, cmd.args, final);
  }
  s.at(first);
  notAFunction(s, cmd.args, final);
  switch (first.type) {
    case 'bool':
      return { t: T.bool, v: first.value };
    case 'dot':
      return dot;
    case 'nil':
      s.errorf('nil is not a command');
    case 'number':
      return idealConstant(s, first);
    case 'string':
      return { t: T.string, v: first.text };
  }
  s.errorf(`can't evaluate command ${JSON.stringify(N.nodeString(first))}`);
}

export function evalFieldNode(
  s: ExecState,
  dot: Value,
  field: N.FieldNode,
  args: N.Node[],
  final: Value,
): Value {
  s.at(field);
  return evalFieldChain(s, dot, dot, field, field.ident, args, final);
}

export function evalChainNode(
  s: ExecState,
  dot: Value,
  chain: N.ChainNode,
  args: N.Node[],
  final: Value,
): Value {
  s.at(chain);
  if (chain.field.length === 0) s.errorf('internal error: no fields in evalChainNode');
  if (chain.node.type === 'nil')
    s.errorf(`indirection through explicit nil in ${N.nodeString(chain)}`);
  const pipe = evalArg(s, dot, null, chain.node);
  return evalFieldChain(s, dot, pipe, chain, chain.field, args, final);
}

export function evalVariableNode(
  s: ExecState,
  dot: Value,
  variable: N.VariableNode,
  args: N.Node[],
  final: Value,
): Value {
  s.at(variable);
  const value = s.varValue(variable.ident[0]);
  if (variable.ident.length === 1) {
    notAFunction(s, args, final);
    return value;
  }
  return evalFieldChain(s, dot, value, variable, variable.ident.slice(1), args, final);
}

function evalFieldChain(
  s: ExecState,
  dot: Value,
  receiver: Value,
  node: N.Node,
  ident: string[],
  args: N.Node[],
  final: Value,
): Value {
  let current = receiver;
  for (let i = 0; i < ident.length - 1; i++) current = evalField(s, ident[i], [], MISSING, current);
  return evalField(s, ident[ident.length - 1], args, final, current);
}

export function evalFunction(
  s: ExecState,
  dot: Value,
  node: N.IdentifierNode,
  cmd: N.Node,
  args: N.Node[] | null,
  final: Value,
): Value {
  s.at(node);
  const fn = s.set.funcs.get(node.ident);
  if (fn === undefined) s.errorf(`${JSON.stringify(node.ident)} is not a defined function`);
  return evalCall(s, dot, fn, cmd, node.ident, args, final);
}

function evalField(
  s: ExecState,
  fieldName: string,
  args: N.Node[],
  final: Value,
  receiver: Value,
): Value {
  if (!isValid(receiver)) return INVALID;
  const typ = typeString(receiver.t);
  const { value, isNil } = indirect(receiver);
  if (value.t.kind === 'interface' && isNil) s.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
  const hasArgs = args.length > 1 || !isMissing(final);
  if (value.t.kind === 'struct') {
    const path = findField(value.t, fieldName);
    if (path !== undefined) {
      if (hasArgs) s.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      return fieldByPath(s, value, path);
    }
  } else if (value.t.kind === 'map') {
    if (assignableTo(T.string, value.t.key)) {
      if (hasArgs) s.errorf(`${fieldName} is not a method but has arguments`);
      const map = value.v as GoMap | null;
      return map?.get(fieldName) ?? INVALID;
    }
  } else if (value.t.kind === 'ptr') {
    const elem = value.t.elem;
    const missingField = elem.kind === 'struct' && findField(elem, fieldName) === undefined;
    if (!missingField && isNil) s.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
  }
  s.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
}

/** Follows a field index path; an embedded nil pointer on the way is Go's error. */
function fieldByPath(s: ExecState, struct: Value, path: number[]): Value {
  let current = struct;
  for (let i = 0; i < path.length; i++) {
    if (i > 0 && current.t.kind === 'ptr') {
      if (current.v === null) {
        s.errorf(`invalid memory address or nil pointer dereference`);
      }
      current = (current.v as { target: Value }).target;
    }
    current = (current.v as Value[])[path[i]];
  }
  return current;
}

function evalAndOr(s: ExecState, dot: Value, name: string, args: N.Node[], final: Value): Value {
  let v = INVALID;
  for (const arg of args) {
    v = evalArg(s, dot, REFLECT_VALUE, arg);
    if ((isTrue(indirectInterface(v)) ?? false) === (name === 'or')) return v;
  }
  if (!isMissing(final)) v = final;
  return v;
}

function evalCall(
  s: ExecState,
  dot: Value,
  fn: GoFunc,
  node: N.Node,
  name: string,
  allArgs: N.Node[] | null,
  final: Value,
): Value {
  const args = allArgs === null ? [] : allArgs.slice(1);
  const numIn = args.length + (isMissing(final) ? 0 : 1);
  const variadic = fn.variadic !== undefined;
  const numFixed = variadic ? fn.params.length : args.length;
  if (variadic && numIn < numFixed) {
    s.errorf(
      `wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`,
    );
  } else if (!variadic && numIn !== fn.params.length) {
    s.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
  }
  if ((name === 'and' || name === 'or') && fn.params[0] === REFLECT_VALUE) {
    return evalAndOr(s, dot, name, args, final);
  }
  const argv: Value[] = [];
  let i = 0;
  for (; i < numFixed && i < args.length; i++) argv.push(evalArg(s, dot, fn.params[i], args[i]));
  if (fn.variadic !== undefined) {
    for (; i < args.length; i++) argv.push(evalArg(s, dot, fn.variadic, args[i]));
  }
  if (!isMissing(final)) {
    let t = fn.variadic ?? fn.params[fn.params.length - 1];
    if (variadic && numIn - 1 < numFixed) t = fn.params[numIn - 1];
    argv.push(validateType(s, final, t));
  }
  if (name === 'call' && fn.params[0] === REFLECT_VALUE) {
    const callee = args.length === 0 ? reflectString(final) : N.nodeString(args[0]);
    return callFunction(s, callBuiltin(callee), node, name, argv);
  }
  return callFunction(s, fn, node, name, argv);
}

/** reflect.Value.String: the string itself, or `<T Value>` for other kinds. */
function reflectString(v: Value): string {
  if (!isValid(v)) return '<invalid Value>';
  return v.t.kind === 'string' ? (v.v as string) : `<${typeString(v.t)} Value>`;
}

/**
 * Go's builtin call. Template data never holds function values here, so every
 * call fails with the error Go gives for its argument.
 */
function callBuiltin(callee: string): GoFunc {
  return {
    params: [REFLECT_VALUE],
    variadic: REFLECT_VALUE,
    result: REFLECT_VALUE,
    call: ([target]) => {
      const f = indirectInterface(target);
      if (!isValid(f)) throw new CallError('call of nil');
      throw new CallError(`non-function ${callee} of type ${typeString(f.t)}`);
    },
  };
}

function callFunction(s: ExecState, fn: GoFunc, node: N.Node, name: string, argv: Value[]): Value {
  const params = argv.map((arg, i) => {
    const t = i < fn.params.length ? fn.params[i] : fn.variadic;
    return t?.kind === 'interface' ? indirectInterface(arg) : arg;
  });
  let result: Value;
  try {
    s.checkDeadline();
    result = fn.call(params, s);
    checkResultSize(s, result);
  } catch (e) {
    if (e instanceof CallError) {
      s.at(node);
      s.errorf(`error calling ${name}: ${e.message}`);
    }
    if (e instanceof LimitError) {
      s.at(node);
      s.errorf(e.message);
    }
    if (e instanceof RangeError && /invalid (string|array) length/i.test(e.message)) {
      s.at(node);
      s.errorf(`error calling ${name}: result is too large for a JavaScript string or array`);
    }
    throw e;
  }
  if (fn.result.kind === 'interface') return boxAny(result);
  return result;
}

/**
 * Applies the string and list limits to every function result, as a backstop
 * for functions that do not check what they build before building it.
 */
function checkResultSize(s: ExecState, result: Value): void {
  const value = indirectInterface(result);
  if (typeof value.v === 'string') {
    // A UTF-16 code unit takes one to three UTF-8 bytes, so short strings need no count.
    if (3 * value.v.length > s.limits.maxStringLength) s.checkStringLength(byteLength(value.v));
  } else if (Array.isArray(value.v) && value.t.kind === 'slice') {
    s.checkLength(value.v.length);
  } else if (value.v instanceof Map) {
    s.checkLength(value.v.size);
  }
}
