// helm lint of the chart in each certificate mode, and values.schema.json
// rejecting wrong values before anything renders.
import t from 'tap';
import { CHART_DIR, requireHelm, runHelm } from './helm.js';

/** --set arguments that select each way of running the chart. */
const MODES: Record<string, string[]> = {
  generated: [],
  certManager: ['certificates.mode=certManager'],
  secret: [
    'certificates.mode=secret',
    'certificates.secret.name=webhook-tls',
    'certificates.secret.caBundle=Y2E=',
  ],
  url: ['webhook.url=https://127.0.0.1:9443', 'webhook.caBundle=Y2E='],
};

/** A wrong value and the text that helm's schema error must contain: where, and what. */
const REJECTED: Array<{ name: string; set: string[]; error: string }> = [
  {
    name: 'unknown certificate mode',
    set: ['certificates.mode=vault'],
    error: "at '/certificates/mode'",
  },
  {
    name: 'failurePolicy outside enum',
    set: ['webhook.failurePolicy=Never'],
    error: "at '/webhook/failurePolicy'",
  },
  {
    name: 'timeout above 30 s',
    set: ['webhook.timeoutSeconds=31'],
    error: "at '/webhook/timeoutSeconds'",
  },
  { name: 'replica count as text', set: ['replicaCount=two'], error: "at '/replicaCount'" },
  {
    name: 'misspelt webhook key',
    set: ['webhook.failurPolicy=Fail'],
    error: "at '/webhook': additional properties 'failurPolicy'",
  },
  {
    name: 'unknown top-level key',
    set: ['replicas=3'],
    error: "additional properties 'replicas' not allowed",
  },
  {
    name: 'plain http url',
    set: ['webhook.url=http://127.0.0.1:9443'],
    error: "at '/webhook/url'",
  },
  {
    name: 'secret mode without a secret',
    set: ['certificates.mode=secret'],
    error: "at '/certificates/secret/name'",
  },
  { name: 'port out of range', set: ['server.port=70000'], error: "at '/server/port'" },
  {
    name: 'namespace not a DNS label',
    set: ['server.systemNamespace=Mif_System'],
    error: "at '/server/systemNamespace'",
  },
];

function setArguments(values: readonly string[]): string[] {
  return values.flatMap((value) => ['--set', value]);
}

const helm = await requireHelm(t);

if (helm !== undefined) {
  for (const [mode, values] of Object.entries(MODES)) {
    t.test(`lint passes in ${mode} mode`, async (t) => {
      const result = await runHelm(helm, ['lint', CHART_DIR, ...setArguments(values)]);
      const output = { stdout: result.stdout, stderr: result.stderr };
      t.equal(result.code, 0, 'helm lint exits with 0', output);
      t.match(result.stdout, /0 chart\(s\) failed/, 'no chart failed', output);
    });

    t.test(`strict lint passes in ${mode} mode`, async (t) => {
      const result = await runHelm(helm, ['lint', '--strict', CHART_DIR, ...setArguments(values)]);
      const output = { stdout: result.stdout, stderr: result.stderr };
      t.equal(result.code, 0, 'helm lint --strict exits with 0', output);
      t.notMatch(result.stdout, /\[WARNING\]/, 'no warnings', output);
    });
  }

  for (const { name, set, error } of REJECTED) {
    t.test(`schema rejects ${name}`, async (t) => {
      const result = await runHelm(helm, ['template', 'odin', CHART_DIR, ...setArguments(set)]);
      const output = { stderr: result.stderr };
      t.not(result.code, 0, 'helm template fails');
      t.match(
        result.stderr,
        /values don't meet the specifications of the schema/,
        'reports a schema error',
        output,
      );
      t.ok(result.stderr.includes(error), `error contains ${error}`, output);
    });
  }
}
