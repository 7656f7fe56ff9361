// The function library templates may call: Go's text/template builtins, the
// Sprig v3.3.0 functions this engine provides (Sprig's replace builtins of the
// same name, as in Go), and deref. Functions that read the environment, the
// network, the clock or randomness are left out on purpose, so a template that
// names one fails to parse exactly as Go reports an undefined function.

import { builtinFuncs } from './builtins/core.js';
import { derefFunc } from './deref.js';
import { FuncMap } from './funcs.js';
import { sprigFuncs } from './sprig/index.js';

let library: FuncMap | undefined;

/** Returns the shared function map; callers must not modify it. */
export function templateFuncs(): FuncMap {
  if (library === undefined) {
    library = builtinFuncs();
    for (const [name, f] of sprigFuncs()) library.set(name, f);
    library.set('deref', derefFunc);
  }
  return library;
}
