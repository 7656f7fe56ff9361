// `odin-webhook render`: prints the rendered spec of each InferenceService in
// the input files, exactly as the webhook would compute it for
// `status.renderedSpec`, with its warnings on stderr. Exit codes: 0 rendered,
// 1 a service is invalid (its field errors are printed), 2 bad usage or input.
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { validateInferenceService } from '../api/index.js';
import type { InferenceService } from '../api/types.js';
import { renderInferenceService } from '../inferenceservice/render.js';
import { defaultInferenceService } from '../webhooks/mutate-inferenceservice.js';
import type { JsonObject } from '../admission/review.js';
import type { TemplateSource } from '../templates/source.js';
import {
  buildTemplateSource,
  checkNamespaces,
  COMMON_HELP,
  COMMON_OPTIONS,
  describeObject,
  readInputs,
  UsageError,
  writeFieldErrors,
  writeWarnings,
  type CommandIo,
  type InputObject,
} from './inputs.js';

const USAGE = `Usage: odin-webhook render -f FILE [--templates-dir DIR | --kubeconfig PATH] [flags]

Prints the rendered spec of every InferenceService in FILE as YAML: templates
resolved, merged and rendered, defaults applied. Templates come from FILE
itself, DIR, or the cluster. Warnings go to stderr. Exit code 1 when a service
is invalid, 2 for bad usage or input.

${COMMON_HELP}
`;

const DEFAULT_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** Runs `render` with the arguments after the subcommand; resolves to the exit code. */
export async function runRender(argv: string[], io: CommandIo = DEFAULT_IO): Promise<number> {
  try {
    return await render(argv, io);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError && 'code' in error))
      throw error;
    io.stderr.write(`error: ${error.message}\n`);
    if (error instanceof TypeError) io.stderr.write(`\n${USAGE}`);
    return 2;
  }
}

async function render(argv: string[], io: CommandIo): Promise<number> {
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
  if (inputs.services.length === 0) {
    throw new UsageError(`no InferenceService in ${files.join(', ')}`);
  }
  const templates = await sourceOrUsageError(
    inputs,
    values['templates-dir'],
    values.kubeconfig,
    systemNamespace,
  );

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

async function sourceOrUsageError(
  inputs: Awaited<ReturnType<typeof readInputs>>,
  templatesDir: string | undefined,
  kubeconfig: string | undefined,
  systemNamespace: string,
): Promise<TemplateSource> {
  try {
    return await buildTemplateSource(inputs, { templatesDir, kubeconfig, systemNamespace });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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
