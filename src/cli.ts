#!/usr/bin/env node
// The `odin-webhook` command. Each subcommand is a function from its
// arguments to an exit code, listed in SUBCOMMANDS, so a new one is one entry
// there. Without a subcommand, or with flags only, the command serves.
import { EXIT_USAGE, formatConfigHelp } from './config.js';

interface Subcommand {
  summary: string;
  run(argv: readonly string[]): Promise<number>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  serve: {
    summary: 'serve the admission webhooks (the default)',
    // Each command is imported on use, so that one does not load the others' modules.
    run: async (argv) => (await import('./server/serve-command.js')).runServe(argv),
  },
  certs: {
    summary: 'create a CA and serving certificate, and print the caBundle',
    run: async (argv) => (await import('./server/certs-command.js')).runCerts(argv),
  },
  render: {
    summary: 'print the rendered spec of InferenceServices in YAML files',
    run: async (argv) => (await import('./commands/render.js')).runRender([...argv]),
  },
  validate: {
    summary: 'check InferenceServices and templates in YAML files as the webhooks would',
    run: async (argv) => (await import('./commands/validate.js')).runValidate([...argv]),
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(
    ([name, command]) => `  ${name.padEnd(10)} ${command.summary}`,
  );
  return [
    'Usage: odin-webhook [SUBCOMMAND] [flags]',
    '',
    'Subcommands:',
    ...lines,
    '',
    'Run `odin-webhook SUBCOMMAND --help` for the flags of one.',
  ].join('\n');
}

/** Picks the subcommand from the arguments and runs it; resolves with the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '--help' || first === '-h') {
      process.stdout.write(`${usage()}\n\n${formatConfigHelp('Flags of serve:')}\n`);
      return 0;
    }
    return SUBCOMMANDS.serve.run(argv);
  }
  if (first === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }

  const command = Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
  if (command === undefined) {
    process.stderr.write(
      `odin-webhook: unknown subcommand ${JSON.stringify(first)}\n\n${usage()}\n`,
    );
    return EXIT_USAGE;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`odin-webhook: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
