// Configuration of `serve`: defaults, flags over environment variables, and
// a clear error for every invalid value.
import t from 'tap';
import {
  ConfigError,
  environmentVariable,
  formatConfigHelp,
  readConfig,
} from '../../src/config.js';

t.test('defaults', async (t) => {
  t.same(readConfig([], {}), {
    port: 8443,
    healthPort: 8080,
    host: '0.0.0.0',
    tlsCert: 'certs/tls.crt',
    tlsKey: 'certs/tls.key',
    clientCa: undefined,
    http2: false,
    templatesDir: undefined,
    servicesDir: undefined,
    kubeconfig: undefined,
    systemNamespace: 'mif',
    logLevel: 'info',
    bodyLimit: 7340032,
    maxJsonDepth: 512,
    requestTimeout: 30000,
    keepAliveTimeout: 95000,
    maxConnections: 1000,
    shutdownGrace: 25000,
  });
});

t.test('flag wins over environment variable', async (t) => {
  const env = {
    ODIN_WEBHOOK_PORT: '9443',
    ODIN_WEBHOOK_HEALTH_PORT: '9080',
    ODIN_WEBHOOK_HTTP2: 'true',
  };
  const config = readConfig(['--port', '10443'], env);
  t.equal(config.port, 10443, 'flag');
  t.equal(config.healthPort, 9080, 'environment variable');
  t.equal(config.http2, true, 'boolean from the environment');
});

t.test('every flag reads its environment variable', async (t) => {
  const env = {
    ODIN_WEBHOOK_HOST: '127.0.0.1',
    ODIN_WEBHOOK_TLS_CERT: '/tls/cert.pem',
    ODIN_WEBHOOK_TLS_KEY: '/tls/key.pem',
    ODIN_WEBHOOK_CLIENT_CA: '/tls/ca.pem',
    ODIN_WEBHOOK_TEMPLATES_DIR: 'examples/templates',
    ODIN_WEBHOOK_SERVICES_DIR: 'examples/services',
    ODIN_WEBHOOK_KUBECONFIG: '/kube/config',
    ODIN_WEBHOOK_SYSTEM_NAMESPACE: 'odin-system',
    ODIN_WEBHOOK_LOG_LEVEL: 'debug',
    ODIN_WEBHOOK_BODY_LIMIT: '1048576',
    ODIN_WEBHOOK_MAX_JSON_DEPTH: '64',
    ODIN_WEBHOOK_REQUEST_TIMEOUT: '5000',
    ODIN_WEBHOOK_KEEP_ALIVE_TIMEOUT: '120000',
    ODIN_WEBHOOK_MAX_CONNECTIONS: '0',
    ODIN_WEBHOOK_SHUTDOWN_GRACE: '0',
  };
  t.match(readConfig([], env), {
    host: '127.0.0.1',
    tlsCert: '/tls/cert.pem',
    tlsKey: '/tls/key.pem',
    clientCa: '/tls/ca.pem',
    templatesDir: 'examples/templates',
    servicesDir: 'examples/services',
    kubeconfig: '/kube/config',
    systemNamespace: 'odin-system',
    logLevel: 'debug',
    bodyLimit: 1048576,
    maxJsonDepth: 64,
    requestTimeout: 5000,
    keepAliveTimeout: 120000,
    maxConnections: 0,
    shutdownGrace: 0,
  });
});

t.test('empty environment variable counts as unset', async (t) => {
  t.equal(readConfig([], { ODIN_WEBHOOK_PORT: '' }).port, 8443);
});

t.test('invalid values are errors that name the source', async (t) => {
  const cases: [string[], Record<string, string>, string][] = [
    [
      ['--port', '70000'],
      {},
      'invalid value "70000" in --port: must be an integer from 0 to 65535',
    ],
    [['--port=-1'], {}, 'invalid value "-1" in --port: must be an integer from 0 to 65535'],
    [
      [],
      { ODIN_WEBHOOK_BODY_LIMIT: '7MiB' },
      'invalid value "7MiB" in ODIN_WEBHOOK_BODY_LIMIT: must be an integer from 1024 to 1073741824',
    ],
    [
      ['--max-json-depth', '0'],
      {},
      'invalid value "0" in --max-json-depth: must be an integer from 1 to 1000',
    ],
    [
      ['--request-timeout', '1.5'],
      {},
      'invalid value "1.5" in --request-timeout: must be an integer from 1 to 3600000',
    ],
    [
      [],
      { ODIN_WEBHOOK_HTTP2: 'yes please' },
      'invalid value "yes please" in ODIN_WEBHOOK_HTTP2: must be true, false, 1 or 0',
    ],
    [
      ['--log-level', 'loud'],
      {},
      'invalid value "loud" in --log-level: must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      ['--system-namespace', 'Odin_System'],
      {},
      'invalid value "Odin_System" in --system-namespace: must be a DNS label: lower-case letters, digits and "-", at most 63 characters',
    ],
    [['--tls-cert', ''], {}, 'invalid value "" in --tls-cert: must be a non-empty string'],
    [
      ['--port', '8443', '--health-port', '8443'],
      {},
      '--port and --health-port must differ, but both are 8443',
    ],
    [['--services-dir', 'services'], {}, '--services-dir requires --templates-dir'],
    [['--bogus'], {}, "Unknown option '--bogus'; run with --help for the list of flags"],
    [
      ['extra'],
      {},
      "Unexpected argument 'extra'. This command does not take positional arguments; run with --help for the list of flags",
    ],
  ];
  for (const [argv, env, message] of cases) {
    t.throws(
      () => readConfig(argv, env),
      new ConfigError(message),
      [...argv, ...Object.keys(env)].join(' '),
    );
  }
});

t.test('help lists every flag with its variable', async (t) => {
  const help = formatConfigHelp();
  for (const flag of [
    'port',
    'health-port',
    'host',
    'tls-cert',
    'tls-key',
    'client-ca',
    'http2',
    'templates-dir',
    'services-dir',
    'kubeconfig',
    'system-namespace',
    'log-level',
    'body-limit',
    'max-json-depth',
    'request-timeout',
    'keep-alive-timeout',
    'max-connections',
    'shutdown-grace',
  ]) {
    t.match(help, `--${flag}`, flag);
    t.match(help, `env ${environmentVariable(flag)}`, `${flag} variable`);
  }
  t.match(help, '--body-limit BYTES');
  t.match(help, '(default 7340032)');
  t.match(help, '--request-timeout MS');
  for (const line of help.split('\n'))
    t.ok(line.length <= 100, `line fits 100 columns: ${line.trim().slice(0, 30)}`);
});
