// Plumbing shared by the `render` and `validate` commands: their output
// streams, the usage error that maps to exit code 2, and how objects and
// field errors are printed.
import type { Writable } from 'node:stream';
import { formatFieldError, type FieldError } from '../admission/field-errors.js';
import type { InputObject } from './input-files.js';

export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
  stdin?: NodeJS.ReadableStream;
}

/** A command line or input that cannot be used; the command prints it and exits with 2. */
export class UsageError extends Error {}

/** Exit code for bad usage or unreadable input. */
export const EXIT_USAGE = 2;

/**
 * Runs a command body and turns usage errors, including the TypeErrors that
 * `util.parseArgs` throws for unknown or malformed flags, into exit code 2.
 */
export async function runCommand(
  usage: string,
  io: CommandIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const badFlag =
      error instanceof TypeError &&
      String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof UsageError) && !badFlag) throw error;
    io.stderr.write(`error: ${(error as Error).message}\n`);
    if (badFlag) io.stderr.write(`\n${usage}`);
    return EXIT_USAGE;
  }
}

/** Returns `Kind "namespace/name"` for messages. */
export function describeObject(input: InputObject): string {
  const metadata = input.object.metadata;
  return `${input.kind} "${metadata?.namespace}/${metadata?.name ?? metadata?.generateName ?? ''}"`;
}

/** Writes a header line and one indented line per field error. */
export function writeFieldErrors(
  stream: Writable,
  header: string,
  errors: readonly FieldError[],
): void {
  stream.write(`${header}\n`);
  for (const error of errors) stream.write(`  - ${formatFieldError(error)}\n`);
}

export function writeWarnings(
  stream: Writable,
  subject: string,
  warnings: readonly string[],
): void {
  for (const warning of warnings) stream.write(`Warning: ${subject}: ${warning}\n`);
}
