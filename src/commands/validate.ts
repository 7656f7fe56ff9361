// `odin-webhook validate`: checks every InferenceService and
// InferenceServiceTemplate in the input files as the webhooks would on
// CREATE: a template's own fields and expressions, a service's own fields and
// its rendered spec. Exit codes: 0 all valid, 1 any object invalid (its field
// errors are printed), 2 bad usage or input.
import type { JsonObject } from '../admission/review.js';
import { INFERENCE_SERVICE } from '../api/types.js';
import { templateFieldErrors } from '../webhooks/validate-template.js';
import {
  describeObject,
  runCommand,
  UsageError,
  writeFieldErrors,
  type CommandIo,
} from './command.js';
import type { InputObject } from './input-files.js';
import { COMMON_HELP, prepareInputs } from './inputs.js';
import { renderOne } from './render.js';
import type { TemplateSource } from '../templates/source.js';

const USAGE = `Usage: odin-webhook validate -f FILE... [--templates-dir DIR | --kubeconfig PATH] [flags]

Validates every InferenceService and InferenceServiceTemplate in the files
(multi-document YAML or JSON) as the admission webhooks would on creation.
Services are rendered against templates from the files, DIR or the cluster, so
a reference that resolves nowhere is an error. Exit code 1 when any object is
invalid, 2 for bad usage or input.

${COMMON_HELP}
`;

const DEFAULT_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** Runs `validate` with the arguments after the subcommand; resolves to the exit code. */
export function runValidate(argv: string[], io: CommandIo = DEFAULT_IO): Promise<number> {
  return runCommand(USAGE, io, () => validate(argv, io));
}

async function validate(argv: string[], io: CommandIo): Promise<number> {
  const prepared = await prepareInputs(argv, USAGE, io);
  if (prepared === undefined) return 0;
  const { files, inputs, templates, systemNamespace } = prepared;
  const objects = [...inputs.templates, ...inputs.services];
  if (objects.length === 0) {
    throw new UsageError(`no InferenceService or InferenceServiceTemplate in ${files.join(', ')}`);
  }

  let invalid = 0;
  for (const input of objects) {
    const valid =
      input.kind === INFERENCE_SERVICE
        ? validateService(input, templates, systemNamespace, io)
        : validateTemplate(input, io);
    if (valid) io.stdout.write(`${input.file}: ${describeObject(input)} is valid\n`);
    else invalid += 1;
  }

  if (inputs.skipped > 0) io.stderr.write(`skipped ${inputs.skipped} documents of other kinds\n`);
  if (invalid > 0) io.stderr.write(`${invalid} of ${objects.length} objects are invalid\n`);
  return invalid > 0 ? 1 : 0;
}

function validateTemplate(input: InputObject, io: CommandIo): boolean {
  const errors = templateFieldErrors(input.object as JsonObject);
  if (errors.length === 0) return true;
  writeFieldErrors(io.stderr, `${input.file}: ${describeObject(input)} is invalid:`, errors);
  return false;
}

function validateService(
  input: InputObject,
  templates: TemplateSource,
  systemNamespace: string,
  io: CommandIo,
): boolean {
  return renderOne(input, templates, systemNamespace, io) !== undefined;
}
