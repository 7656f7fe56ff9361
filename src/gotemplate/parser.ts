// Parser for Go text/template. It follows text/template/parse's grammar and its
// three-token lookahead, because Go reports the line of the last token read, and
// error texts must match Go's (`template: NAME:LINE: function "env" not defined`).
// Hand-written: no npm package parses Go template syntax.

import { Item, Lexer, Token } from './lexer.js';
import * as N from './nodes.js';
import { parseNumber } from './number-node.js';
import { quoteGo, unquoteGo } from './quote.js';

/** Error raised while parsing; its message is Go's text. */
export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
}

export interface ParseOptions {
  /** Reports whether a function name is defined. */
  hasFunction: (name: string) => boolean;
  /** Maximum nesting of parenthesized pipelines and control structures. */
  maxDepth: number;
}

/** The set of trees a source defines: the main template plus `define`d ones. */
export type TreeSet = Map<string, N.ListNode>;

// Go's unicode.IsSpace set, which differs from JavaScript's trim() (no U+FEFF).
const GO_SPACE_ONLY =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

export function isEmptyTree(n: N.Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return GO_SPACE_ONLY.test(n.text);
    default:
      return false;
  }
}

interface TreeState {
  name: string;
  vars: string[];
  rangeDepth: number;
}

export class Parser {
  private readonly lex: Lexer;
  private readonly token: Token[] = [];
  private peekCount = 0;
  private actionLine = 0;
  private depth = 0;
  private tree: TreeState;

  constructor(
    private readonly parseName: string,
    text: string,
    private readonly options: ParseOptions,
    private readonly treeSet: TreeSet,
  ) {
    this.lex = new Lexer(text);
    this.lex.breakOK = !options.hasFunction('break');
    this.lex.continueOK = !options.hasFunction('continue');
    this.tree = { name: parseName, vars: ['$'], rangeDepth: 0 };
  }

  errorf(message: string): never {
    const line = this.token[0]?.line ?? 1;
    throw new TemplateParseError(`template: ${this.parseName}:${line}: ${message}`);
  }

  private next(): Token {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Token): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Token, t1: Token): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Token {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.typ === Item.Space);
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private expect(expected: Item, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  unexpected(t: Token, context: string): never {
    if (t.typ === Item.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(t.val + extra);
    }
    this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }

  /** Parses the whole source, adding the main tree and every definition to the set. */
  parse(): void {
    const root = this.newList(this.peek().pos);
    while (this.peek().typ !== Item.EOF) {
      if (this.peek().typ === Item.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === Item.Define) {
          this.withTree('definition', () => this.parseDefinition());
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${N.nodeString(n)}`);
      root.nodes.push(n);
    }
    this.addTree(this.parseName, root);
  }

  private withTree<R>(name: string, body: () => R): R {
    const saved = this.tree;
    this.tree = { name, vars: ['$'], rangeDepth: 0 };
    try {
      return body();
    } finally {
      this.tree = saved;
    }
  }

  private addTree(name: string, root: N.ListNode): void {
    const existing = this.treeSet.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.treeSet.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) {
      this.errorf(`template: multiple definition of template ${quoteName(name)}`);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const t = this.nextNonSpace();
    if (t.typ !== Item.String && t.typ !== Item.RawString) this.unexpected(t, context);
    this.tree.name = this.unquote(t.val);
    this.expect(Item.RightDelim, context);
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${N.nodeString(end)} in ${context}`);
    this.addTree(this.tree.name, list);
  }

  private unquote(literal: string): string {
    try {
      return unquoteGo(literal);
    } catch {
      this.errorf('invalid syntax');
    }
  }

  private itemList(): [N.ListNode, N.Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== Item.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): N.Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Item.Text:
        return { type: 'text', pos: t.pos, text: t.val };
      case Item.LeftDelim:
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      case Item.Comment:
        return { type: 'comment', pos: t.pos, text: t.val };
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): N.Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Item.Block:
        return this.blockControl();
      case Item.Break:
      case Item.Continue:
        return this.loopControl(t);
      case Item.Else:
        return this.elseControl();
      case Item.End:
        return { type: 'end', pos: this.expect(Item.RightDelim, 'end').pos };
      case Item.If:
        return this.branch('if');
      case Item.Range:
        return this.branch('range');
      case Item.Template:
        return this.templateControl();
      case Item.With:
        return this.branch('with');
    }
    this.backup();
    const head = this.peek();
    const pipe = this.pipeline('command', Item.RightDelim);
    return { type: 'action', pos: head.pos, line: head.line, pipe };
  }

  private loopControl(t: Token): N.Node {
    const word = t.typ === Item.Break ? 'break' : 'continue';
    const next = this.nextNonSpace();
    if (next.typ !== Item.RightDelim) this.unexpected(next, `{{${word}}}`);
    if (this.tree.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { type: word, pos: t.pos, line: t.line };
  }

  private pipeline(context: string, end: Item): N.PipeNode {
    const head = this.peekNonSpace();
    const pipe: N.PipeNode = {
      type: 'pipe',
      pos: head.pos,
      line: head.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.typ)) this.unexpected(t, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  private declarations(pipe: N.PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== Item.Variable) return;
      this.next();
      const afterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === Item.Assign || next.typ === Item.Declare) {
        pipe.isAssign = next.typ === Item.Assign;
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.tree.vars.push(v.val);
        return;
      }
      if (next.typ === Item.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.tree.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().typ;
          if (after === Item.Variable || after === Item.RightDelim || after === Item.RightParen) {
            continue;
          }
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (afterVariable.typ === Item.Space) this.backup3(v, afterVariable);
      else this.backup2(v);
      return;
    }
  }

  private checkPipeline(pipe: N.PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const first = c.args[0].type;
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(first)) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): N.BranchNode {
    const savedVars = this.tree.vars.length;
    this.enterNesting();
    try {
      const pipe = this.pipeline(context, Item.RightDelim);
      if (context === 'range') this.tree.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.tree.rangeDepth--;
      let elseList: N.ListNode | null = null;
      if (next.type === 'else') {
        const chained =
          context !== 'range' && this.peek().typ === (context === 'if' ? Item.If : Item.With);
        if (chained) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.parseControl(context));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${N.nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.tree.vars.length = savedVars;
      this.depth--;
    }
  }

  private branch(context: 'if' | 'range' | 'with'): N.Node {
    return this.parseControl(context);
  }

  private elseControl(): N.Node {
    const peek = this.peekNonSpace();
    if (peek.typ === Item.If || peek.typ === Item.With) {
      return { type: 'else', pos: peek.pos, line: peek.line };
    }
    const t = this.expect(Item.RightDelim, 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private blockControl(): N.Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, Item.RightDelim);
    const [list, end] = this.withTree(name, () => this.itemList());
    if (end.type !== 'end') this.errorf(`unexpected ${N.nodeString(end)} in ${context}`);
    this.addTree(name, list);
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateControl(): N.Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: N.PipeNode | null = null;
    if (this.nextNonSpace().typ !== Item.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.RightDelim);
    }
    return { type: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  private templateName(t: Token, context: string): string {
    if (t.typ !== Item.String && t.typ !== Item.RawString) this.unexpected(t, context);
    return this.unquote(t.val);
  }

  private command(): N.CommandNode {
    const cmd: N.CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === Item.Space) continue;
      if (t.typ === Item.RightDelim || t.typ === Item.RightParen) this.backup();
      else if (t.typ !== Item.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): N.Node | null {
    const node = this.term();
    if (node === null || this.peek().typ !== Item.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().typ === Item.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${quoteName(N.nodeString(node))}`);
      default:
        return { type: 'chain', pos, node, field: fields };
    }
  }

  private term(): N.Node | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Item.Identifier:
        if (!this.options.hasFunction(t.val))
          this.errorf(`function ${quoteName(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case Item.Dot:
        return { type: 'dot', pos: t.pos };
      case Item.Nil:
        return { type: 'nil', pos: t.pos };
      case Item.Variable:
        return this.useVar(t.pos, t.val);
      case Item.Field:
        return { type: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case Item.Bool:
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case Item.CharConstant:
      case Item.Complex:
      case Item.Number:
        return this.number(t);
      case Item.LeftParen:
        return this.parenthesized();
      case Item.String:
      case Item.RawString:
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t.val) };
    }
    this.backup();
    return null;
  }

  private number(t: Token): N.NumberNode {
    const result = parseNumber(t.val, t.typ);
    if (typeof result === 'string') this.errorf(result);
    return { ...result, type: 'number', pos: t.pos };
  }

  private parenthesized(): N.Node {
    this.enterNesting();
    try {
      return this.pipeline('parenthesized pipeline', Item.RightParen);
    } finally {
      this.depth--;
    }
  }

  private enterNesting(): void {
    if (this.depth >= this.options.maxDepth) this.errorf('max expression depth exceeded');
    this.depth++;
  }

  private useVar(pos: number, name: string): N.VariableNode {
    const v = newVariable(pos, name);
    if (!this.tree.vars.includes(v.ident[0]))
      this.errorf(`undefined variable ${quoteName(v.ident[0])}`);
    return v;
  }

  private newList(pos: number): N.ListNode {
    return { type: 'list', pos, nodes: [] };
  }
}

const OPERAND_START = new Set([
  Item.Bool,
  Item.CharConstant,
  Item.Complex,
  Item.Dot,
  Item.Field,
  Item.Identifier,
  Item.Number,
  Item.Nil,
  Item.RawString,
  Item.String,
  Item.Variable,
  Item.LeftParen,
]);

function newVariable(pos: number, name: string): N.VariableNode {
  return { type: 'variable', pos, ident: name.split('.') };
}

const quoteName = quoteGo;

/** Prints a token as Go's item.String does in "unexpected ..." messages. */
export function tokenString(t: Token): string {
  if (t.typ === Item.EOF) return 'EOF';
  if (t.typ === Item.Error) return t.val;
  if (t.typ > Item.Keyword) return `<${t.val}>`;
  const chars = [...t.val];
  if (chars.length > 10) return quoteGo(chars.slice(0, 10).join('')) + '...';
  return quoteGo(t.val);
}
