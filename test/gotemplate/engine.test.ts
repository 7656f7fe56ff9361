// Unit behaviour of the engine that needs no Go toolchain: float formatting,
// deref's contract, number constants and the function set.

import t from 'tap';
import { formatFloat } from '../../src/gotemplate/fmt/format-float.js';
import { Template, jsonToValue, templateFuncs } from '../../src/gotemplate/index.js';

function run(template: string, data: unknown = null): string {
  try {
    return Template.parse('t', template, { funcs: templateFuncs() }).execute(jsonToValue(data));
  } catch (e) {
    return `ERROR ${(e as Error).message}`;
  }
}

t.test('formatFloat matches strconv', async (t) => {
  const table: [number, string, number, string][] = [
    [1e6, 'g', -1, '1e+06'],
    [999999, 'g', -1, '999999'],
    [1234567, 'g', -1, '1.234567e+06'],
    [0.0001, 'g', -1, '0.0001'],
    [0.00001, 'g', -1, '1e-05'],
    [1e21, 'g', -1, '1e+21'],
    [2.5, 'f', 0, '2'],
    [3.5, 'f', 0, '4'],
    [0.125, 'f', 2, '0.12'],
    [1.005, 'f', 2, '1.00'],
    [1234.5678, 'e', 6, '1.234568e+03'],
    [-0, 'g', -1, '-0'],
    [3.5, 'x', -1, '0x1.cp+01'],
    [1, 'b', -1, '4503599627370496p-52'],
    [NaN, 'g', -1, 'NaN'],
    [-Infinity, 'g', -1, '-Inf'],
  ];
  for (const [value, format, prec, expected] of table) {
    t.equal(formatFloat(value, format, prec), expected, `${value} %${format} ${prec}`);
  }
});

t.test('deref follows the documented contract', async (t) => {
  const data = { a: { b: { c: 1 } }, n: null, s: 'x' };
  t.equal(run('{{ deref . "a" "b" "c" }}', data), '1', 'walks map keys');
  t.equal(run('{{ deref . "n" "x" }}', data), '<no value>', 'nil link gives nil');
  t.equal(run('{{ deref . "zz" "x" }}', data), '<no value>', 'missing key gives nil');
  t.equal(
    run('{{ deref . "s" "x" }}', data),
    'ERROR template: t:1:3: executing "t" at <deref . "s" "x">: error calling deref: cannot select field "x" in a value of type string',
    'a name on a string is an error',
  );
});

t.test('unsupported functions are parse errors', async (t) => {
  for (const name of [
    'env',
    'expandenv',
    'getHostByName',
    'now',
    'date',
    'randAlpha',
    'uuidv4',
    'genPrivateKey',
    'shuffle',
    'randInt',
  ]) {
    t.equal(run(`{{ ${name} }}`), `ERROR template: t:1: function "${name}" not defined`, name);
  }
});

t.test('keys returns sorted keys', async (t) => {
  t.equal(run('{{ keys (dict "b" 1 "a" 2 "c" 3) }}'), '[a b c]');
});
