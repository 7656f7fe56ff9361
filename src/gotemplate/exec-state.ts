// Execution state of a Go template: the variable stack, the output, the node being
// executed (for error positions) and the limits that keep a hostile template from
// stalling the process. Errors read as Go's:
// `template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`.

import { CallContext, FuncMap, LimitError } from './funcs.js';
import { Node, nodeString } from './nodes.js';
import { TreeSet } from './parser.js';
import { quoteGo } from './quote.js';
import { Value, byteLength } from './value.js';

/** Bounds on one execution; each is checked where the work happens. */
export interface ExecLimits {
  /** Wall-clock time for one execution, in milliseconds. */
  maxDurationMs: number;
  /** Bytes of output. */
  maxOutputBytes: number;
  /** Depth of nested {{template}} calls. */
  maxCallDepth: number;
  /** Iterations of all {{range}} loops together. */
  maxRangeIterations: number;
  /** Items in one list or map that a function builds (`until`, `seq`, `list`). */
  maxListLength: number;
  /** Bytes in one string that a function builds (`repeat`, `cat`, `printf`). */
  maxStringLength: number;
}

export const DEFAULT_EXEC_LIMITS: ExecLimits = {
  maxDurationMs: 100,
  maxOutputBytes: 1 << 20,
  maxCallDepth: 100,
  maxRangeIterations: 100_000,
  maxListLength: 100_000,
  maxStringLength: 1 << 20,
};

/** An error raised while executing; its message is Go's text. */
export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}

interface Variable {
  name: string;
  value: Value;
}

/** The parsed templates that one execution can reach. */
export interface TemplateSet {
  /** Name of the template as parsed; Go prints it in every error location. */
  parseName: string;
  /** The source text, to turn node positions into line and column. */
  text: string;
  trees: TreeSet;
  funcs: FuncMap;
}

export class ExecState implements CallContext {
  vars: Variable[];
  node: Node | null = null;
  depth = 0;
  output: string[] = [];
  private outputBytes = 0;
  private rangeIterations = 0;
  private readonly deadline: number;

  constructor(
    readonly set: TemplateSet,
    /** Name of the template now executing; changes inside {{template}}. */
    public name: string,
    readonly limits: ExecLimits,
    dot: Value,
  ) {
    this.vars = [{ name: '$', value: dot }];
    this.deadline = Date.now() + limits.maxDurationMs;
  }

  at(node: Node): void {
    this.node = node;
  }

  location(node: Node): string {
    const before = this.set.text.slice(0, node.pos);
    const lastNewline = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const column = byteLength(before.slice(lastNewline + 1));
    return `${this.set.parseName}:${line}:${column}`;
  }

  errorf(message: string): never {
    if (this.node === null) {
      throw new TemplateExecError(`template: ${this.name}: ${message}`);
    }
    const location = this.location(this.node);
    const context = nodeString(this.node);
    throw new TemplateExecError(
      `template: ${location}: executing ${quoteGo(this.name)} at <${context}>: ${message}`,
    );
  }

  write(s: string): void {
    this.outputBytes += byteLength(s);
    if (this.outputBytes > this.limits.maxOutputBytes) {
      this.errorf(`output exceeds the limit of ${this.limits.maxOutputBytes} bytes`);
    }
    this.output.push(s);
  }

  push(name: string, value: Value): void {
    this.vars.push({ name, value });
  }

  mark(): number {
    return this.vars.length;
  }

  pop(mark: number): void {
    this.vars.length = mark;
  }

  setVar(name: string, value: Value): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  setTopVar(n: number, value: Value): void {
    this.vars[this.vars.length - n].value = value;
  }

  varValue(name: string): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i].value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  checkDeadline(): void {
    if (Date.now() > this.deadline) {
      throw new LimitError(`execution exceeds the time limit of ${this.limits.maxDurationMs} ms`);
    }
  }

  countIteration(): void {
    this.rangeIterations++;
    if (this.rangeIterations > this.limits.maxRangeIterations) {
      this.errorf(`range exceeds the limit of ${this.limits.maxRangeIterations} iterations`);
    }
    if ((this.rangeIterations & 0xff) === 0) this.checkDeadline();
  }

  checkLength(n: number): void {
    if (n > this.limits.maxListLength) {
      throw new LimitError(`list length ${n} exceeds the limit of ${this.limits.maxListLength}`);
    }
  }

  checkStringLength(n: number): void {
    if (n > this.limits.maxStringLength) {
      throw new LimitError(
        `string length ${n} exceeds the limit of ${this.limits.maxStringLength} bytes`,
      );
    }
  }
}
