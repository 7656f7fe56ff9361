// The bridge between the webhook and the Go template engine: every string value
// of the merged spec that contains `{{` is executed as a Go text/template with
// Sprig and deref against the service's name, namespace, labels and spec (as Go
// structs with nil-able pointers). Problems are reported at the string's path.

import {
  ExecBudget,
  Template,
  TemplateExecError,
  TemplateParseError,
  Value,
  byteLength,
  templateFuncs,
} from '../gotemplate/index.js';
import { buildContext } from './context.js';
import { DEFAULT_RENDER_LIMITS, MAX_PARSE_DEPTH, type RenderLimits } from './limits.js';
import { forEachString, mapStrings } from './strings.js';

export { DEFAULT_RENDER_LIMITS, MAX_PARSE_DEPTH, type RenderLimits } from './limits.js';

export interface RenderMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export interface RenderProblem {
  path: string;
  message: string;
}

export interface RenderResult {
  spec: Record<string, unknown>;
  errors: RenderProblem[];
  warnings: RenderProblem[];
}

const TEMPLATE_MARK = '{{';

const hasTemplateMark = (text: string): boolean => text.includes(TEMPLATE_MARK);

/** Ends the message of a limit that covers the whole spec. */
const SPEC_SCOPE = 'for all template strings of the spec';

/**
 * Parsed templates by name and text. Every review of a service parses the
 * same template strings, once to check them and once to render them, and a
 * parsed template is never changed by executing it. The cache is emptied
 * when the text it contains passes PARSE_CACHE_BYTES, which bounds its memory.
 */
const parseCache = new Map<string, Template>();
const PARSE_CACHE_BYTES = 8 * 1024 * 1024;
let parseCacheBytes = 0;

function parse(path: string, text: string): Template {
  const key = `${path}\u0000${text}`;
  const cached = parseCache.get(key);
  if (cached !== undefined) return cached;
  const template = Template.parse(path, text, {
    funcs: templateFuncs(),
    maxParseDepth: MAX_PARSE_DEPTH,
  });
  if (parseCacheBytes + key.length > PARSE_CACHE_BYTES) {
    parseCache.clear();
    parseCacheBytes = 0;
  }
  parseCache.set(key, template);
  parseCacheBytes += key.length;
  return template;
}

function isTemplateError(e: unknown): e is Error {
  return e instanceof TemplateParseError || e instanceof TemplateExecError;
}

/**
 * Counts the template text of a spec's strings against the limits on one string
 * and on all strings together. `check` returns the message of the limit a
 * string exceeds, and whether that limit covers the whole spec.
 */
class TemplateTextCounter {
  private totalBytes = 0;

  constructor(private readonly limits: RenderLimits) {}

  check(text: string): { message: string; wholeSpec: boolean } | undefined {
    const bytes = byteLength(text);
    if (bytes > this.limits.maxTemplateBytes) {
      const message = `template text of ${bytes} bytes exceeds the limit of ${this.limits.maxTemplateBytes} bytes`;
      return { message, wholeSpec: false };
    }
    this.totalBytes += bytes;
    if (this.totalBytes > this.limits.maxTotalTemplateBytes) {
      const message = `template text exceeds the limit of ${this.limits.maxTotalTemplateBytes} bytes ${SPEC_SCOPE}`;
      return { message, wholeSpec: true };
    }
    return undefined;
  }
}

/**
 * Executes every template string of a spec within one set of limits for the
 * whole spec: one deadline, one output allowance and one allowance of template
 * text. The input is not mutated. Strings without `{{` are kept as they are,
 * and so is a string whose template fails. A failure is an error at the
 * string's path. Once a limit for the whole spec is reached, the remaining
 * template strings are left as written without further errors.
 */
export function renderSpec(
  spec: Record<string, unknown>,
  meta: RenderMeta,
  options: { limits?: Partial<RenderLimits>; pathPrefix?: string } = {},
): RenderResult {
  const limits = { ...DEFAULT_RENDER_LIMITS, ...options.limits };
  const budget = new ExecBudget(limits.maxDurationMs, limits.maxTotalOutputBytes, SPEC_SCOPE);
  const execLimits = {
    maxDurationMs: limits.maxDurationMs,
    maxOutputBytes: limits.maxOutputBytes,
    maxCallDepth: limits.maxCallDepth,
    maxRangeIterations: limits.maxRangeIterations,
    maxListLength: limits.maxRangeIterations,
    maxStringLength: limits.maxStringLength ?? limits.maxOutputBytes,
    maxRegexPatternBytes: limits.maxRegexPatternBytes,
    maxRegexProgramSize: limits.maxRegexProgramSize,
    maxRegexSteps: limits.maxRegexSteps,
    budget,
  };
  const templateText = new TemplateTextCounter(limits);
  const errors: RenderProblem[] = [];
  const warnings: RenderProblem[] = [];
  let stopped = false;
  let context: Value | undefined;

  const renderString = (text: string, path: string): string => {
    if (stopped) return text;
    const fail = (message: string, wholeSpec: boolean): string => {
      errors.push({ path, message });
      if (wholeSpec) stopped = true;
      return text;
    };

    const overText = templateText.check(text);
    if (overText !== undefined) return fail(overText.message, overText.wholeSpec);
    const overBudget = budget.exceeded();
    if (overBudget !== undefined) return fail(overBudget, true);

    const outputBefore = budget.outputBytes;
    try {
      context ??= buildContext(spec, meta);
      const output = parse(path, text).execute(context, execLimits);
      if (output.includes('<no value>') || output.includes('<nil>')) {
        warnings.push({ path, message: `rendered output contains "<no value>" or "<nil>"` });
      }
      return output;
    } catch (e) {
      if (!isTemplateError(e)) throw e;
      const wholeSpec = budget.exceeded() !== undefined;
      // The output of a failed string is dropped, so it does not count against the spec.
      if (!wholeSpec) budget.outputBytes = outputBefore;
      return fail(e.message, wholeSpec);
    }
  };
  const rendered = mapStrings(spec, options.pathPrefix ?? 'spec', renderString, hasTemplateMark);
  return { spec: rendered as Record<string, unknown>, errors, warnings };
}

/**
 * Parses, without executing, every template string and returns the parse
 * errors and the strings over the template text limits. After the limit on
 * all strings together, the remaining strings are not parsed.
 */
export function checkTemplateStrings(
  value: unknown,
  pathPrefix: string,
  options: { limits?: Partial<RenderLimits> } = {},
): RenderProblem[] {
  const templateText = new TemplateTextCounter({ ...DEFAULT_RENDER_LIMITS, ...options.limits });
  const problems: RenderProblem[] = [];
  let stopped = false;
  forEachString(
    value,
    pathPrefix,
    (text, path) => {
      if (stopped) return;
      const overText = templateText.check(text);
      if (overText !== undefined) {
        problems.push({ path, message: overText.message });
        if (overText.wholeSpec) stopped = true;
        return;
      }
      try {
        parse(path, text);
      } catch (e) {
        if (!(e instanceof TemplateParseError)) throw e;
        problems.push({ path, message: e.message });
      }
    },
    hasTemplateMark,
  );
  return problems;
}
