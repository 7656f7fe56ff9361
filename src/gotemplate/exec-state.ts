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
  /** Bytes of one regular expression pattern; each class such as `\pL` costs compile time. */
  maxRegexPatternBytes: number;
  /** Instructions of one compiled regular expression; they bound its compile time. */
  maxRegexProgramSize: number;
  /**
   * Instructions times input characters for one regular expression call: the
   * most work one linear-time search can do, since a search cannot be stopped.
   */
  maxRegexSteps: number;
  /** Time and output shared with other executions; none when absent. */
  budget?: ExecBudget;
}

export const DEFAULT_EXEC_LIMITS: ExecLimits = {
  maxDurationMs: 100,
  maxOutputBytes: 1 << 20,
  maxCallDepth: 100,
  maxRangeIterations: 100_000,
  maxListLength: 100_000,
  maxStringLength: 1 << 20,
  maxRegexPatternBytes: 2048,
  maxRegexProgramSize: 5_000,
  maxRegexSteps: 1_000_000,
};

/**
 * A deadline and an output allowance that several executions draw on, such as
 * every template string of one document. `scope` ends the limit messages, for
 * example "for all template strings of the spec".
 */
export class ExecBudget {
  readonly deadline: number;
  outputBytes = 0;

  constructor(
    readonly maxDurationMs: number,
    readonly maxOutputBytes: number,
    readonly scope: string,
  ) {
    this.deadline = Date.now() + maxDurationMs;
  }

  timeMessage(): string {
    return `execution exceeds the time limit of ${this.maxDurationMs} ms ${this.scope}`;
  }

  outputMessage(): string {
    return `output exceeds the limit of ${this.maxOutputBytes} bytes ${this.scope}`;
  }

  /** Returns the message of the first shared limit that is used up, or undefined. */
  exceeded(): string | undefined {
    if (Date.now() > this.deadline) return this.timeMessage();
    if (this.outputBytes > this.maxOutputBytes) return this.outputMessage();
    return undefined;
  }
}

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
    const bytes = byteLength(s);
    this.outputBytes += bytes;
    if (this.outputBytes > this.limits.maxOutputBytes) {
      this.errorf(`output exceeds the limit of ${this.limits.maxOutputBytes} bytes`);
    }
    const budget = this.limits.budget;
    if (budget !== undefined) {
      budget.outputBytes += bytes;
      if (budget.outputBytes > budget.maxOutputBytes) this.errorf(budget.outputMessage());
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
    const now = Date.now();
    const budget = this.limits.budget;
    if (budget !== undefined && now > budget.deadline) throw new LimitError(budget.timeMessage());
    if (now > this.deadline) {
      throw new LimitError(`execution exceeds the time limit of ${this.limits.maxDurationMs} ms`);
    }
  }

  countIteration(): void {
    this.rangeIterations++;
    if (this.rangeIterations > this.limits.maxRangeIterations) {
      this.errorf(`range exceeds the limit of ${this.limits.maxRangeIterations} iterations`);
    }
    this.checkDeadline();
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

  checkRegexPatternBytes(n: number): void {
    if (n > this.limits.maxRegexPatternBytes) {
      throw new LimitError(
        `regular expression pattern of ${n} bytes exceeds the limit of ${this.limits.maxRegexPatternBytes} bytes`,
      );
    }
  }

  checkRegexProgramSize(instructions: number, estimated: boolean): void {
    if (instructions > this.limits.maxRegexProgramSize) {
      const size = estimated ? `about ${instructions}` : `${instructions}`;
      throw new LimitError(
        `regular expression program of ${size} instructions exceeds the limit of ${this.limits.maxRegexProgramSize} instructions`,
      );
    }
  }

  checkRegexSteps(instructions: number, inputLength: number): void {
    const steps = instructions * inputLength;
    if (steps > this.limits.maxRegexSteps) {
      throw new LimitError(
        `regular expression search of ${instructions} instructions over ${inputLength} characters exceeds the limit of ${this.limits.maxRegexSteps} steps`,
      );
    }
  }
}
