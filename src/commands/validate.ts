// `odin-webhook validate`: checks every InferenceService and
// InferenceServiceTemplate in the input files as the webhooks would on
// CREATE: a template's own fields and expressions, a service's own fields and
// its rendered spec. Exit codes: 0 all valid, 1 any object invalid (its field
// errors are printed), 2 bad usage or input.
import { parseArgs } from 'node:util';
import type { JsonObject } from '../admission/review.js';
import { INFERENCE_SERVICE } from '../api/types.js';
import { templateFieldErrors } from '../webhooks/validate-template.js';
import {
  buildTemplateSource,
  checkNamespaces,
  COMMON_HELP,
  COMMON_OPTIONS,
  describeObject,
  readInputs,
  UsageError,
  writeFieldErrors,
  type CommandIo,
  type InputObject,
} from './inputs.js';
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
export async function runValidate(argv: string[], io: CommandIo = DEFAULT_IO): Promise<number> {
  try {
    return await validate(argv, io);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError && 'code' in error))
      throw error;
    io.stderr.write(`error: ${error.message}\n`);
    if (error instanceof TypeError) io.stderr.write(`\n${USAGE}`);
    return 2;
  }
}

async function validate(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: COMMON_OPTIONS,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }

  const files = [...(values.filename ?? []), ...positionals];
  const systemNamespace = values['system-namespace'];
  const inputs = await readInputs(files, values.namespace ?? 'default', io);
  checkNamespaces(inputs, values.namespace);
  let templates: TemplateSource;
  try {
    templates = await buildTemplateSource(inputs, {
      templatesDir: values['templates-dir'],
      kubeconfig: values.kubeconfig,
      systemNamespace,
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  let invalid = 0;
  const objects = [...inputs.templates, ...inputs.services];
  for (const input of objects) {
    const valid =
      input.kind === INFERENCE_SERVICE
        ? validateService(input, templates, systemNamespace, io)
        : validateTemplate(input, io);
    if (valid) io.stdout.write(`${input.file}: ${describeObject(input)} is valid\n`);
    else invalid += 1;
  }

  if (inputs.skipped > 0) io.stderr.write(`skipped ${inputs.skipped} documents of other kinds\n`);
  if (objects.length === 0)
    throw new UsageError(`no InferenceService or InferenceServiceTemplate in ${files.join(', ')}`);
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
