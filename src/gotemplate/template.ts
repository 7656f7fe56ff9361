// Public entry to the Go template engine: parse a source once, execute it against
// typed Go values within limits. Errors are TemplateParseError or
// TemplateExecError with Go's exact message text.

import { walk } from './exec-walk.js';
import {
  DEFAULT_EXEC_LIMITS,
  ExecLimits,
  ExecState,
  TemplateExecError,
  TemplateSet,
} from './exec-state.js';
import { FuncMap, LimitError } from './funcs.js';
import { Parser, TreeSet } from './parser.js';
import { quoteGo } from './quote.js';
import { Value } from './value.js';

export interface ParseSettings {
  /** Functions the template may call; parsing rejects any other name. */
  funcs: FuncMap;
  /** Maximum nesting of parentheses and control structures. */
  maxParseDepth?: number;
}

/** Go's own limit on parenthesized expression depth (text/template/parse). */
export const DEFAULT_MAX_PARSE_DEPTH = 10_000;

export class Template {
  private constructor(private readonly set: TemplateSet) {}

  /** Parses a template source; throws TemplateParseError with Go's message. */
  static parse(name: string, text: string, settings: ParseSettings): Template {
    const trees: TreeSet = new Map();
    const parser = new Parser(
      name,
      text,
      {
        hasFunction: (fn) => settings.funcs.has(fn),
        maxDepth: settings.maxParseDepth ?? DEFAULT_MAX_PARSE_DEPTH,
      },
      trees,
    );
    parser.parse();
    return new Template({ parseName: name, text, trees, funcs: settings.funcs });
  }

  get name(): string {
    return this.set.parseName;
  }

  /** Executes the template with `data` as dot; throws TemplateExecError on failure. */
  execute(data: Value, limits: Partial<ExecLimits> = {}): string {
    const settings = { ...DEFAULT_EXEC_LIMITS, ...limits };
    const state: ExecState = new ExecState(this.set, this.set.parseName, settings, data);
    const root = this.set.trees.get(this.set.parseName);
    if (root === undefined) {
      state.errorf(`${quoteGo(this.set.parseName)} is an incomplete or empty template`);
    }
    try {
      walk(state, data, root);
    } catch (e) {
      if (e instanceof LimitError) state.errorf(e.message);
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        state.errorf('execution exceeds the maximum recursion depth');
      }
      throw e;
    }
    return state.output.join('');
  }
}

export { TemplateExecError };
