// Runs a template case through the TypeScript engine, with the same data decoding
// as the Go oracle, and returns the output or the error text.

import {
  Template,
  TemplateExecError,
  TemplateParseError,
  jsonToValue,
  templateFuncs,
} from '../../src/gotemplate/index.js';
import { contextType, decodeValue } from '../../src/render/go-model.js';
import type { CaseResult, TemplateCase } from './oracle.js';

/** Generous limits: differential cases compare semantics, not limits. */
const LIMITS = {
  maxDurationMs: 10_000,
  maxOutputBytes: 16 << 20,
  maxCallDepth: 100_000,
  maxRangeIterations: 10_000_000,
  maxListLength: 10_000_000,
  maxStringLength: 16 << 20,
  maxRegexPatternBytes: 16 << 20,
  maxRegexProgramSize: 10_000_000,
  maxRegexSteps: Number.MAX_SAFE_INTEGER,
};

export function runCase(c: TemplateCase, index: number): CaseResult {
  const name = c.name ?? `case${index}`;
  const data =
    c.context !== undefined ? decodeValue(c.context, contextType()) : jsonToValue(c.json ?? null);
  try {
    const template = Template.parse(name, c.template, { funcs: templateFuncs() });
    return { output: template.execute(data, LIMITS) };
  } catch (e) {
    if (e instanceof TemplateParseError || e instanceof TemplateExecError)
      return { error: e.message };
    throw e;
  }
}
