// A small Dockerfile reader for the tests: enough of the syntax to list each
// stage's instructions (line continuations, comments, ARG defaults), not a
// full parser (no heredocs, no escape directive).

export interface Instruction {
  /** Upper-case keyword, such as COPY. */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  argument: string;
}

export interface Stage {
  /** Base image with ${ARG} references replaced by the ARG defaults. */
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Defaults of the ARG instructions before the first FROM. */
  args: Record<string, string>;
  stages: Stage[];
}

function splitInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;

    const continued = line.endsWith('\\');
    pending += `${continued ? line.slice(0, -1) : line} `;
    if (continued) continue;

    const match = /^(\S+)\s*(.*)$/.exec(pending.trim());
    if (match)
      instructions.push({
        keyword: (match[1] as string).toUpperCase(),
        argument: match[2] as string,
      });
    pending = '';
  }
  return instructions;
}

function substitute(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    return args[name] ?? whole;
  });
}

/** Splits a Dockerfile into its stages. */
export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];

  for (const instruction of splitInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.argument
        .replace(/--platform=\S+\s+/, '')
        .split(/\s+/);
      const stageName = as?.toUpperCase() === 'AS' ? name : undefined;
      stages.push({ image: substitute(image, args), name: stageName, instructions: [] });
      continue;
    }

    const stage = stages.at(-1);
    if (stage !== undefined) {
      stage.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      const [name = '', value = ''] = instruction.argument.split('=', 2);
      args[name.trim()] = value.trim();
    }
  }
  return { args, stages };
}

/** A COPY instruction's --from stage, sources and destination. */
export interface Copy {
  from: string | undefined;
  sources: string[];
  destination: string;
}

export function parseCopy(argument: string): Copy {
  const words = argument.split(/\s+/).filter((word) => word !== '');
  let from: string | undefined;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith('--from=')) from = word.slice('--from='.length);
    else if (!word.startsWith('--')) paths.push(word);
  }
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' };
}
