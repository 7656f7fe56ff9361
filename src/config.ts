// Configuration of `odin-webhook serve`, read and validated once. Every flag
// can also be set by an environment variable: ODIN_WEBHOOK_ and the flag name
// in upper snake case. A flag on the command line wins over the variable, and
// an empty variable counts as unset.
import { parseArgs } from 'node:util';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  healthPort: number;
  host: string;
  tlsCert: string;
  tlsKey: string;
  clientCa?: string;
  http2: boolean;
  templatesDir?: string;
  servicesDir?: string;
  kubeconfig?: string;
  systemNamespace: string;
  logLevel: LogLevel;
  /** Bytes. */
  bodyLimit: number;
  maxJsonDepth: number;
  /** Milliseconds. */
  requestTimeout: number;
  /** Milliseconds. */
  keepAliveTimeout: number;
  /** 0 means no limit. */
  maxConnections: number;
  /** Milliseconds. */
  shutdownGrace: number;
}

/** Exit code for an invalid command line or configuration. */
export const EXIT_USAGE = 2;

/** A configuration value that cannot be used; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface Flag {
  name: string;
  /** Placeholder for the value in help, such as BYTES; none for a switch. */
  value?: string;
  default?: string;
  description: string;
}

const FLAGS: readonly Flag[] = [
  { name: 'port', value: 'PORT', default: '8443', description: 'HTTPS port for admission reviews' },
  {
    name: 'health-port',
    value: 'PORT',
    default: '8080',
    description: 'plain HTTP port for /healthz, /readyz and /metrics',
  },
  { name: 'host', value: 'ADDRESS', default: '0.0.0.0', description: 'address both ports bind to' },
  {
    name: 'tls-cert',
    value: 'PATH',
    default: 'certs/tls.crt',
    description: 'serving certificate (PEM), reloaded when it changes',
  },
  {
    name: 'tls-key',
    value: 'PATH',
    default: 'certs/tls.key',
    description:
      'private key of the serving certificate (PEM); when both files are missing, a development CA and certificate are created',
  },
  {
    name: 'client-ca',
    value: 'PATH',
    description: 'CA bundle (PEM); when set, clients must present a certificate it signed',
  },
  { name: 'http2', description: 'offer HTTP/2 through ALPN as well as HTTP/1.1 (default off)' },
  {
    name: 'templates-dir',
    value: 'DIR',
    description: 'serve templates from the YAML or JSON files in DIR, without a cluster',
  },
  {
    name: 'services-dir',
    value: 'DIR',
    description:
      'with --templates-dir: InferenceServices from the YAML or JSON files in DIR, for the template-in-use checks',
  },
  {
    name: 'kubeconfig',
    value: 'PATH',
    description:
      'without --templates-dir: kubeconfig for watching templates and services (default: KUBECONFIG, the pod service account, ~/.kube/config)',
  },
  {
    name: 'system-namespace',
    value: 'NAME',
    default: 'mif',
    description: 'namespace searched for templates after the service namespace',
  },
  {
    name: 'log-level',
    value: 'LEVEL',
    default: 'info',
    description: `one of ${LOG_LEVELS.join(', ')}`,
  },
  {
    name: 'body-limit',
    value: 'BYTES',
    default: String(7 * 1024 * 1024),
    description: 'maximum request body size; an UPDATE carries two objects of up to 3 MiB each',
  },
  {
    name: 'max-json-depth',
    value: 'N',
    default: '512',
    description: 'maximum nesting depth of objects and arrays in a request',
  },
  {
    name: 'request-timeout',
    value: 'MS',
    default: '30000',
    description:
      'milliseconds to receive a whole request; headers must arrive within 10000 or this, if lower',
  },
  {
    name: 'keep-alive-timeout',
    value: 'MS',
    default: '95000',
    description:
      "milliseconds an idle connection stays open; keep above the apiserver's 90 s idle timeout",
  },
  {
    name: 'max-connections',
    value: 'N',
    default: '1000',
    description:
      'maximum number of open admission connections (0 for no limit); memory use grows with connections times body limit',
  },
  {
    name: 'shutdown-grace',
    value: 'MS',
    default: '25000',
    description: 'milliseconds to finish in-flight reviews after SIGTERM before exiting anyway',
  },
];

export function environmentVariable(flag: string): string {
  return `ODIN_WEBHOOK_${flag.toUpperCase().replace(/-/g, '_')}`;
}

const HELP_WIDTH = 100;
const HELP_INDENT = 31;

/** Breaks `text` into lines that fit the help width after the indent. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && HELP_INDENT + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** Returns the help text of `serve`: every flag with its unit, default and variable. */
export function formatConfigHelp(heading = 'Flags:'): string {
  const blocks = FLAGS.map((flag) => {
    const usage = flag.value === undefined ? `--${flag.name}` : `--${flag.name} ${flag.value}`;
    const fallback = flag.default === undefined ? '' : ` (default ${flag.default})`;
    const text = [
      ...wrap(`${flag.description}${fallback}`),
      `env ${environmentVariable(flag.name)}`,
    ];
    return text
      .map((line, index) => `  ${(index === 0 ? usage : '').padEnd(HELP_INDENT - 3)} ${line}`)
      .join('\n');
  });
  return `${heading}\n${blocks.join('\n')}\n  ${'--help'.padEnd(HELP_INDENT - 3)} print this help`;
}

/** A raw value with its source (flag, variable or default), for error messages. */
interface RawValue {
  text: string;
  source: string;
}

type RawValues = Map<string, RawValue>;

function collectRawValues(argv: readonly string[], env: NodeJS.ProcessEnv): RawValues {
  const options = Object.fromEntries(
    FLAGS.map((flag) => [flag.name, { type: flag.value === undefined ? 'boolean' : 'string' }]),
  ) as Record<string, { type: 'boolean' | 'string' }>;

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; run with --help for the list of flags`);
  }

  const values: RawValues = new Map();
  for (const flag of FLAGS) {
    const fromFlag = parsed.values[flag.name];
    const variable = environmentVariable(flag.name);
    if (fromFlag !== undefined) {
      values.set(flag.name, { text: String(fromFlag), source: `--${flag.name}` });
    } else if (env[variable] !== undefined && env[variable] !== '') {
      values.set(flag.name, { text: env[variable], source: variable });
    } else if (flag.default !== undefined) {
      values.set(flag.name, { text: flag.default, source: `the default of --${flag.name}` });
    }
  }
  return values;
}

function invalid(raw: RawValue, expected: string): ConfigError {
  return new ConfigError(
    `invalid value ${JSON.stringify(raw.text)} in ${raw.source}: must be ${expected}`,
  );
}

function readInteger(values: RawValues, name: string, min: number, max: number): number {
  const raw = values.get(name) as RawValue;
  const number = Number(raw.text);
  if (!/^\d+$/.test(raw.text) || number < min || number > max) {
    throw invalid(raw, `an integer from ${min} to ${max}`);
  }
  return number;
}

function readString(values: RawValues, name: string): string | undefined {
  const raw = values.get(name);
  if (raw !== undefined && raw.text.trim() === '') throw invalid(raw, 'a non-empty string');
  return raw?.text;
}

function readBoolean(values: RawValues, name: string): boolean {
  const raw = values.get(name);
  if (raw === undefined) return false;
  const text = raw.text.toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalid(raw, 'true, false, 1 or 0');
}

function readChoice<T extends string>(values: RawValues, name: string, choices: readonly T[]): T {
  const raw = values.get(name) as RawValue;
  const choice = choices.find((candidate) => candidate === raw.text);
  if (choice === undefined) throw invalid(raw, `one of ${choices.join(', ')}`);
  return choice;
}

function readNamespace(values: RawValues, name: string): string {
  const raw = values.get(name) as RawValue;
  // A namespace name is an RFC 1123 DNS label.
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(raw.text)) {
    throw invalid(raw, 'a DNS label: lower-case letters, digits and "-", at most 63 characters');
  }
  return raw.text;
}

const HOUR_MS = 3_600_000;
const PORT_MAX = 65_535;

/**
 * Reads the configuration from command-line flags and environment variables.
 * Throws ConfigError for an unknown flag or an invalid value. `--help` is not
 * handled here; the CLI checks for it first.
 */
export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const values = collectRawValues(argv, env);
  const config: Config = {
    port: readInteger(values, 'port', 0, PORT_MAX),
    healthPort: readInteger(values, 'health-port', 0, PORT_MAX),
    host: readString(values, 'host') as string,
    tlsCert: readString(values, 'tls-cert') as string,
    tlsKey: readString(values, 'tls-key') as string,
    clientCa: readString(values, 'client-ca'),
    http2: readBoolean(values, 'http2'),
    templatesDir: readString(values, 'templates-dir'),
    servicesDir: readString(values, 'services-dir'),
    kubeconfig: readString(values, 'kubeconfig'),
    systemNamespace: readNamespace(values, 'system-namespace'),
    logLevel: readChoice(values, 'log-level', LOG_LEVELS),
    bodyLimit: readInteger(values, 'body-limit', 1024, 1024 * 1024 * 1024),
    // The mutating webhook copies the object with structuredClone, which
    // overflowed the call stack at about 1,900 nested objects on Node 20.
    maxJsonDepth: readInteger(values, 'max-json-depth', 1, 1_000),
    requestTimeout: readInteger(values, 'request-timeout', 1, HOUR_MS),
    keepAliveTimeout: readInteger(values, 'keep-alive-timeout', 1, HOUR_MS),
    maxConnections: readInteger(values, 'max-connections', 0, 1_000_000),
    shutdownGrace: readInteger(values, 'shutdown-grace', 0, HOUR_MS),
  };

  if (config.servicesDir !== undefined && config.templatesDir === undefined) {
    throw new ConfigError('--services-dir requires --templates-dir');
  }
  if (config.port !== 0 && config.port === config.healthPort) {
    throw new ConfigError(`--port and --health-port must differ, but both are ${config.port}`);
  }
  return config;
}
