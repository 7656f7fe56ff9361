// The Sprig v3.3.0 functions this engine provides, gathered from one module per
// Sprig group. Left out on purpose: env, expandenv and getHostByName (a template
// must not read the webhook's environment or the network); date, now and the
// other clock functions, randAlpha and the other random functions, uuidv4, the
// key and certificate generators, shuffle and randInt (output must be
// deterministic); and groups not reimplemented yet (semver, URL, base32,
// case conversions such as snakecase, wrap, abbrevboth, encryptAES, bcrypt).

import { FuncMap, GoFunc } from '../funcs.js';
import { defaultFuncs } from './defaults.js';
import { dictFuncs } from './dicts.js';
import { encodingFuncs } from './encoding.js';
import { listFuncs } from './lists.js';
import { mathFuncs } from './math.js';
import { reflectionFuncs } from './reflection.js';
import { regexFuncMap } from './regex.js';
import { stringFuncs } from './strings.js';

const groups: Record<string, GoFunc>[] = [
  defaultFuncs,
  stringFuncs,
  mathFuncs,
  listFuncs,
  dictFuncs,
  encodingFuncs,
  reflectionFuncs,
  regexFuncMap,
];

export function sprigFuncs(): FuncMap {
  const map: FuncMap = new Map();
  for (const group of groups) for (const [name, f] of Object.entries(group)) map.set(name, f);
  return map;
}
