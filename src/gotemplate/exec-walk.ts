// Execution of template control structures: actions, if/with/else, range over
// lists, maps (in sorted key order) and integers with break and continue, and
// {{template}} calls, following Go's text/template exec.go semantics.

import { evalPipeline } from './exec-eval.js';
import { ExecState } from './exec-state.js';
import { sprint } from './fmt/printf.js';
import { sortedEntries } from './fmt/printer.js';
import * as N from './nodes.js';
import { printableValue } from './printable.js';
import { quoteGo } from './quote.js';
import { typeString } from './types.js';
import { GoMap, INVALID, Value, indirect, indirectInterface, isTrue } from './value.js';

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

export function walk(s: ExecState, dot: Value, node: N.Node): void {
  s.at(node);
  switch (node.type) {
    case 'action': {
      const value = evalPipeline(s, dot, node.pipe);
      if (node.pipe.decl.length === 0) printValue(s, node, value);
      return;
    }
    case 'break':
      throw BREAK;
    case 'continue':
      throw CONTINUE;
    case 'comment':
      return;
    case 'if':
    case 'with':
      return walkIfOrWith(s, dot, node);
    case 'list':
      for (const child of node.nodes) walk(s, dot, child);
      return;
    case 'range':
      return walkRange(s, dot, node);
    case 'template':
      return walkTemplate(s, dot, node);
    case 'text':
      s.write(node.text);
      return;
    default:
      s.errorf(`unknown node: ${N.nodeString(node)}`);
  }
}

function walkIfOrWith(s: ExecState, dot: Value, node: N.BranchNode): void {
  const mark = s.mark();
  try {
    const value = evalPipeline(s, dot, node.pipe);
    const truth = isTrue(indirectInterface(value));
    if (truth === undefined) s.errorf(`if/with can't use ${sprint([value])}`);
    if (truth) walk(s, node.type === 'with' ? value : dot, node.list);
    else if (node.elseList !== null) walk(s, dot, node.elseList);
  } finally {
    s.pop(mark);
  }
}

function rangeItems(s: ExecState, value: Value, node: N.BranchNode): [Value, Value][] | null {
  switch (value.t.kind) {
    case 'int':
    case 'uint': {
      if (node.pipe.decl.length > 1) {
        s.errorf(`can't use ${sprint([value])} to iterate over more than one variable`);
      }
      const n = value.v as bigint;
      if (n <= 0n) return null;
      if (n > BigInt(s.limits.maxRangeIterations)) {
        s.errorf(`range exceeds the limit of ${s.limits.maxRangeIterations} iterations`);
      }
      const items: [Value, Value][] = [];
      for (let i = 0n; i < n; i++) items.push([INVALID, { t: value.t, v: i }]);
      return items;
    }
    case 'slice': {
      const list = (value.v as Value[] | null) ?? [];
      if (list.length === 0) return null;
      return list.map((item, i) => [
        { t: { kind: 'int', base: 'int', bits: 64 }, v: BigInt(i) },
        item,
      ]);
    }
    case 'map': {
      const map = value.v as GoMap | null;
      if (map === null || map.size === 0) return null;
      return sortedEntries(value.t, map);
    }
    case 'invalid':
      return null;
    default:
      s.errorf(`range can't iterate over ${sprint([value])}`);
  }
}

function runIteration(
  s: ExecState,
  node: N.BranchNode,
  index: Value,
  elem: Value,
  mark: number,
): void {
  const { decl, isAssign } = node.pipe;
  if (decl.length > 0) {
    if (isAssign) s.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
    else s.setTopVar(1, elem);
  }
  if (decl.length > 1) {
    if (isAssign) s.setVar(decl[1].ident[0], elem);
    else s.setTopVar(2, index);
  }
  try {
    walk(s, elem, node.list);
  } catch (e) {
    if (e !== CONTINUE) throw e;
  } finally {
    s.pop(mark);
  }
}

function walkRange(s: ExecState, dot: Value, node: N.BranchNode): void {
  s.at(node);
  const outer = s.mark();
  try {
    const { value } = indirect(evalPipeline(s, dot, node.pipe));
    const mark = s.mark();
    const items = rangeItems(s, value, node);
    if (items !== null) {
      for (const [index, elem] of items) {
        s.countIteration();
        runIteration(s, node, index, elem, mark);
      }
      return;
    }
    if (node.elseList !== null) walk(s, dot, node.elseList);
  } catch (e) {
    if (e !== BREAK) throw e;
  } finally {
    s.pop(outer);
  }
}

function walkTemplate(s: ExecState, dot: Value, node: N.TemplateNode): void {
  s.at(node);
  const tree = s.set.trees.get(node.name);
  if (tree === undefined) s.errorf(`template ${quoteGo(node.name)} not defined`);
  if (s.depth >= s.limits.maxCallDepth) {
    s.errorf(`exceeded maximum template depth (${s.limits.maxCallDepth})`);
  }
  s.checkDeadline();
  const newDot = evalPipeline(s, dot, node.pipe);
  const saved = { name: s.name, vars: s.vars, depth: s.depth };
  s.name = node.name;
  s.vars = [{ name: '$', value: newDot }];
  s.depth++;
  try {
    walk(s, newDot, tree);
  } finally {
    s.name = saved.name;
    s.vars = saved.vars;
    s.depth = saved.depth;
  }
}

function printValue(s: ExecState, node: N.Node, v: Value): void {
  s.at(node);
  const printable = printableValue(v);
  if (printable === null) s.errorf(`can't print ${N.nodeString(node)} of type ${typeString(v.t)}`);
  s.write(typeof printable === 'string' ? printable : sprint([printable]));
}
