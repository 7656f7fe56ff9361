// Go text/template with Sprig, reimplemented in TypeScript for byte-identical
// output. See template.ts for the entry point and value.ts for the value model.

export { Template, TemplateExecError } from './template.js';
export type { ParseSettings } from './template.js';
export { TemplateParseError } from './parser.js';
export { DEFAULT_EXEC_LIMITS, ExecBudget } from './exec-state.js';
export type { ExecLimits } from './exec-state.js';
export { templateFuncs } from './library.js';
export type { FuncMap, GoFunc } from './funcs.js';
export * from './types.js';
export * from './value.js';
export { jsonToValue } from './json-value.js';
