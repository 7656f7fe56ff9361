// The calling convention between the executor and template functions. Each
// function declares Go parameter and result types, because text/template converts
// and checks arguments by those types and its error texts name them.

import { GoType } from './types.js';
import { Value } from './value.js';

/**
 * Marks a parameter or result as Go's reflect.Value: the argument reaches the
 * function unconverted, as it does for the builtins and, or, not, eq and index.
 */
export const REFLECT_VALUE: GoType = { kind: 'struct', name: 'reflect.Value', fields: [] };

/** The limits and clock a function must honour while it builds its result. */
export interface CallContext {
  /** Raises a limit error when the deadline has passed. */
  checkDeadline(): void;
  /** Raises a limit error when a list or map of `n` items would be too long. */
  checkLength(n: number): void;
  /** Raises a limit error when a string of `n` bytes would be too long. */
  checkStringLength(n: number): void;
  /** Raises a limit error when a regular expression pattern of `n` bytes is too long to compile. */
  checkRegexPatternBytes(n: number): void;
  /** Raises a limit error when a regular expression program is too large to compile. */
  checkRegexProgramSize(instructions: number, estimated: boolean): void;
  /** Raises a limit error when one search of `instructions` over `inputLength` characters could run too long. */
  checkRegexSteps(instructions: number, inputLength: number): void;
}

export interface GoFunc {
  /** Types of the fixed parameters. */
  params: GoType[];
  /** Element type of a final variadic parameter (`...interface {}`), if any. */
  variadic?: GoType;
  /** Result type; `interface {}` results are boxed as Go boxes them. */
  result: GoType;
  /**
   * Runs the function. Arguments for interface parameters arrive as their dynamic
   * value (the invalid value for nil). Throws `CallError` for a Go error result or
   * a panic, whose text Go prints after `error calling NAME: `.
   */
  call(args: Value[], ctx: CallContext): Value;
}

export type FuncMap = Map<string, GoFunc>;

/** An error returned by a template function, with Go's message text. */
export class CallError extends Error {
  override name = 'CallError';
}

/** A function that exceeded an execution limit; never caught by `must` wrappers. */
export class LimitError extends Error {
  override name = 'LimitError';
}

export function fn(
  params: GoType[],
  result: GoType,
  call: (args: Value[], ctx: CallContext) => Value,
  variadic?: GoType,
): GoFunc {
  return { params, result, call, variadic };
}
