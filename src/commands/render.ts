// `odin-webhook render`: prints the rendered spec of each InferenceService in
// the input files, as the webhook computes it for `status.renderedSpec`, with
// its warnings on stderr. Exit codes: 0 rendered, 1 a service is invalid (its
// field errors are printed), 2 bad usage or input.
import { stringify } from 'yaml';
import { validateInferenceService } from '../api/index.js';
import type { InferenceService } from '../api/types.js';
import { renderInferenceService } from '../inferenceservice/render.js';
import { defaultInferenceService } from '../webhooks/mutate-inferenceservice.js';
import type { JsonObject } from '../admission/review.js';
import type { TemplateSource } from '../templates/source.js';
import {
  describeObject,
  runCommand,
  UsageError,
  writeFieldErrors,
  writeWarnings,
  type CommandIo,
} from './command.js';
import type { InputObject } from './input-files.js';
import { COMMON_HELP, prepareInputs } from './inputs.js';

const USAGE = `Usage: odin-webhook render -f FILE [--templates-dir DIR | --kubeconfig PATH] [flags]

Prints the rendered spec of every InferenceService in FILE as YAML: templates
resolved, merged and rendered, defaults applied. Templates come from FILE
itself, DIR, or the cluster. Warnings go to stderr. Exit code 1 when a service
is invalid, 2 for bad usage or input.

${COMMON_HELP}
`;

const DEFAULT_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** Runs `render` with the arguments after the subcommand; resolves to the exit code. */
export function runRender(argv: string[], io: CommandIo = DEFAULT_IO): Promise<number> {
  return runCommand(USAGE, io, () => render(argv, io));
}

async function render(argv: string[], io: CommandIo): Promise<number> {
  const prepared = await prepareInputs(argv, USAGE, io);
  if (prepared === undefined) return 0;
  const { files, inputs, templates, systemNamespace } = prepared;
  if (inputs.services.length === 0) {
    throw new UsageError(`no InferenceService in ${files.join(', ')}`);
  }

  let failed = false;
  inputs.services.forEach((input, index) => {
    const spec = renderOne(input, templates, systemNamespace, io);
    if (spec === undefined) {
      failed = true;
      return;
    }
    const header =
      inputs.services.length > 1 ? `# rendered spec of ${describeObject(input)}\n` : '';
    io.stdout.write(`${index > 0 ? '---\n' : ''}${header}${stringify(spec)}`);
  });
  return failed ? 1 : 0;
}

/**
 * Validates and renders one service the way the validating webhook does:
 * defaults first, then its own fields, then the rendered spec. Prints errors
 * and warnings; returns the spec, or undefined when the service is invalid.
 */
export function renderOne(
  input: InputObject,
  templates: TemplateSource,
  systemNamespace: string,
  io: CommandIo,
): JsonObject | undefined {
  const subject = describeObject(input);
  const dependencies = { templates, systemNamespace };
  const defaulted = defaultInferenceService(input.object as JsonObject, dependencies);

  const ownErrors = validateInferenceService(defaulted);
  if (ownErrors.length > 0) {
    writeFieldErrors(io.stderr, `${input.file}: ${subject} is invalid:`, ownErrors);
    return undefined;
  }

  const rendered = renderInferenceService(defaulted as InferenceService, templates, {
    systemNamespace,
  });
  writeWarnings(io.stderr, subject, rendered.warnings);
  if (rendered.errors.length > 0 || rendered.spec === undefined) {
    writeFieldErrors(io.stderr, `${input.file}: ${subject} is invalid:`, rendered.errors);
    return undefined;
  }
  return rendered.spec as JsonObject;
}
