// Template functions can read nothing outside the template's context: Sprig's
// functions that read the environment, files, the network, the clock or a
// random source are parse errors, both in a template (denied on CREATE) and in
// a service. Every function that remains gives the same output on every call
// and never prints a value of the process environment.
import t from 'tap';
import { templateFuncs } from '../../src/gotemplate/index.js';
import { renderSpec } from '../../src/render/index.js';
import {
  admissionRequest,
  fixture,
  serviceObject,
  SYSTEM_NAMESPACE,
  TEMPLATE_PATH,
  templateObject,
  VALIDATE_PATH,
} from './support.js';

/** Sprig v3.3.0 functions of the environment, network, clock and randomness, and Helm's file functions. */
const FORBIDDEN = [
  'env',
  'expandenv',
  'getHostByName',
  'now',
  'date',
  'dateInZone',
  'date_in_zone',
  'dateModify',
  'date_modify',
  'mustDateModify',
  'must_date_modify',
  'ago',
  'toDate',
  'mustToDate',
  'unixEpoch',
  'duration',
  'durationRound',
  'htmlDate',
  'htmlDateInZone',
  'randAlpha',
  'randAlphaNum',
  'randNumeric',
  'randAscii',
  'randInt',
  'randBytes',
  'uuidv4',
  'shuffle',
  'genPrivateKey',
  'genCA',
  'genCAWithKey',
  'genSelfSignedCert',
  'genSelfSignedCertWithKey',
  'genSignedCert',
  'genSignedCertWithKey',
  'buildCustomCert',
  'derivePassword',
  'encryptAES',
  'decryptAES',
  'bcrypt',
  'htpasswd',
  'include',
  'tpl',
  'lookup',
  'required',
  'readFile',
];

void t.test('forbidden functions are not in the function map', async (t) => {
  const funcs = templateFuncs();
  for (const name of FORBIDDEN) t.notOk(funcs.has(name), name);
});

void t.test('forbidden function in a template is denied', async (t) => {
  const fix = fixture();
  const webhook = fix.byPath.get(TEMPLATE_PATH);
  for (const name of FORBIDDEN) {
    const spec = {
      template: { spec: { containers: [{ name: 'main', args: [`{{ ${name} "HOME" }}`] }] } },
    };
    const object = templateObject(SYSTEM_NAMESPACE, 'probe', spec) as never;
    const response = await webhook?.review(
      admissionRequest({ kind: 'InferenceServiceTemplate', namespace: SYSTEM_NAMESPACE, object }),
    );
    t.equal(response?.allowed, false, `${name}: denied`);
    t.equal(
      response?.status?.details?.causes?.[0]?.field,
      'spec.template.spec.containers[0].args[0]',
      `${name}: path`,
    );
    t.match(
      response?.status?.details?.causes?.[0]?.message,
      `function "${name}" not defined`,
      `${name}: message`,
    );
  }
});

void t.test('forbidden function in a service is denied', async (t) => {
  const fix = fixture();
  for (const name of ['env', 'expandenv', 'getHostByName', 'now', 'randAlpha', 'uuidv4']) {
    const spec = {
      templateRefs: [{ name: 'base' }],
      template: { spec: { containers: [{ name: 'main', args: [`{{ "PATH" | ${name} }}`] }] } },
    };
    const response = await fix.byPath
      .get(VALIDATE_PATH)
      ?.review(admissionRequest({ object: serviceObject(spec) }));
    t.equal(response?.allowed, false, `${name}: denied`);
    t.match(
      response?.status?.details?.causes?.[0]?.message,
      `function "${name}" not defined`,
      `${name}: message`,
    );
  }
});

void t.test('every function is deterministic and blind to the environment', async (t) => {
  const secret = 'hostile-environment-value-5f2c';
  process.env.ODIN_HOSTILE_PROBE = secret;
  t.teardown(() => delete process.env.ODIN_HOSTILE_PROBE);

  const argumentLists = [
    '',
    '"ODIN_HOSTILE_PROBE"',
    '"$ODIN_HOSTILE_PROBE"',
    '. "ODIN_HOSTILE_PROBE"',
    '"ODIN_HOSTILE_PROBE" "x" 3',
  ];
  const meta = { name: 'demo', namespace: 'team-a', labels: { app: 'probe' } };
  let rendered = 0;
  for (const name of templateFuncs().keys()) {
    for (const args of argumentLists) {
      const spec = { model: { name: `{{ ${name} ${args} }}` }, replicas: 2 };
      const first = renderSpec(spec, meta);
      await new Promise((resolve) => setTimeout(resolve, 2));
      const second = renderSpec(spec, meta);
      const text = JSON.stringify([first.spec, first.errors.map((e) => e.message)]);
      if (text.includes(secret)) t.fail(`${name} ${args} printed an environment value`);
      if (text !== JSON.stringify([second.spec, second.errors.map((e) => e.message)])) {
        t.fail(`${name} ${args} differs between calls`);
      }
      rendered++;
    }
  }
  t.ok(rendered > 500, `${rendered} calls rendered twice`);
});
