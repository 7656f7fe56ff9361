// The bridge between the webhook and the Go template engine: every string value
// of the merged spec that contains `{{` is executed as a Go text/template with
// Sprig and deref against the service's name, namespace, labels and spec (as Go
// structs with nil-able pointers). Problems are reported at the string's path.

import {
  Template,
  TemplateExecError,
  TemplateParseError,
  Value,
  templateFuncs,
} from '../gotemplate/index.js';
import { buildContext } from './context.js';
import { forEachString, mapStrings } from './strings.js';

export interface RenderMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

export interface RenderLimits {
  /** Wall-clock time for one template string, in milliseconds. */
  maxDurationMs: number;
  /** Bytes of output of one template string. */
  maxOutputBytes: number;
  /** Depth of nested {{template}} calls. */
  maxCallDepth: number;
  /** Range iterations of one template string; also bounds lists a function builds. */
  maxRangeIterations: number;
  /** Bytes of one string that a function builds; defaults to maxOutputBytes. */
  maxStringLength?: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  maxDurationMs: 100,
  maxOutputBytes: 256 * 1024,
  maxCallDepth: 50,
  maxRangeIterations: 10_000,
};

/** Nesting of parentheses and control structures that parsing accepts. */
export const MAX_PARSE_DEPTH = 100;

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

function parse(path: string, text: string): Template {
  return Template.parse(path, text, { funcs: templateFuncs(), maxParseDepth: MAX_PARSE_DEPTH });
}

function isTemplateError(e: unknown): e is Error {
  return e instanceof TemplateParseError || e instanceof TemplateExecError;
}

/**
 * Executes every template string of a spec. The input is not mutated; strings
 * without `{{` are kept as they are, and so is a string whose template fails.
 */
export function renderSpec(
  spec: Record<string, unknown>,
  meta: RenderMeta,
  options: { limits?: Partial<RenderLimits>; pathPrefix?: string } = {},
): RenderResult {
  const limits = { ...DEFAULT_RENDER_LIMITS, ...options.limits };
  const execLimits = {
    maxDurationMs: limits.maxDurationMs,
    maxOutputBytes: limits.maxOutputBytes,
    maxCallDepth: limits.maxCallDepth,
    maxRangeIterations: limits.maxRangeIterations,
    maxListLength: limits.maxRangeIterations,
    maxStringLength: limits.maxStringLength ?? limits.maxOutputBytes,
  };
  const errors: RenderProblem[] = [];
  const warnings: RenderProblem[] = [];
  let context: Value | undefined;
  const rendered = mapStrings(spec, options.pathPrefix ?? 'spec', (text, path) => {
    if (!text.includes(TEMPLATE_MARK)) return text;
    try {
      context ??= buildContext(spec, meta);
      const output = parse(path, text).execute(context, execLimits);
      if (output.includes('<no value>') || output.includes('<nil>')) {
        warnings.push({ path, message: `rendered output contains "<no value>" or "<nil>"` });
      }
      return output;
    } catch (e) {
      if (!isTemplateError(e)) throw e;
      errors.push({ path, message: e.message });
      return text;
    }
  });
  return { spec: rendered as Record<string, unknown>, errors, warnings };
}

/** Parses, without executing, every template string and returns the parse errors. */
export function checkTemplateStrings(value: unknown, pathPrefix: string): RenderProblem[] {
  const problems: RenderProblem[] = [];
  forEachString(value, pathPrefix, (text, path) => {
    if (!text.includes(TEMPLATE_MARK)) return;
    try {
      parse(path, text);
    } catch (e) {
      if (!(e instanceof TemplateParseError)) throw e;
      problems.push({ path, message: e.message });
    }
  });
  return problems;
}
