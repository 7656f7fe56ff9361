// Go's strconv.FormatFloat for the 'e', 'E', 'f', 'g' and 'G' formats. Go rounds
// the exact binary value half to even, while JavaScript's toFixed and
// toExponential round ties up, and Go switches %v to exponent form at 1e+06 where
// JavaScript's String() switches at 1e21. Hand-written for byte-exact output.

/** Decimal digits of a float: value = 0.d1d2d3... × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (exponent >= 0) {
    digits = (mantissa << BigInt(exponent)).toString();
    dp = digits.length;
  } else {
    digits = (mantissa * 5n ** BigInt(-exponent)).toString();
    dp = digits.length + exponent;
  }
  return trimZeros({ digits, dp });
}

function trimZeros(d: Decimal): Decimal {
  let end = d.digits.length;
  while (end > 0 && d.digits[end - 1] === '0') end--;
  let start = 0;
  while (start < end && d.digits[start] === '0') start++;
  if (start === end) return { digits: '', dp: 0 };
  return { digits: d.digits.slice(start, end), dp: d.dp - start };
}

/** Rounds to `nd` significant digits, ties to even, as Go's decimal.Round does. */
function roundTo(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.digits.length) up = true;
  else up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  if (!up) return trimZeros({ digits: d.digits.slice(0, nd), dp: d.dp });
  const chars = d.digits.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && chars[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
  return { digits: chars.slice(0, i + 1).join(''), dp: d.dp };
}

function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  return trimZeros({ digits, dp: Number(exp) + 1 });
}

function formatE(d: Decimal, prec: number, letter: string): string {
  let out = d.digits.length === 0 ? '0' : d.digits[0];
  if (prec > 0) {
    out += '.';
    const rest = d.digits.slice(1, prec + 1);
    out += rest + '0'.repeat(prec - rest.length);
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  const magnitude = Math.abs(exp);
  return out + letter + sign + (magnitude < 10 ? '0' : '') + magnitude;
}

function formatF(d: Decimal, prec: number): string {
  let out: string;
  if (d.dp > 0) {
    const head = d.digits.slice(0, d.dp);
    out = head + '0'.repeat(d.dp - head.length);
  } else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
  }
  return out;
}

function roundedDigits(x: number, format: string, prec: number): Decimal {
  const exact = exactDecimal(Math.abs(x));
  switch (format) {
    case 'e':
    case 'E':
      return roundTo(exact, prec + 1);
    case 'f':
      return roundTo(exact, exact.dp + prec);
    default:
      return roundTo(exact, prec === 0 ? 1 : prec);
  }
}

function formatG(d: Decimal, prec: number, shortest: boolean, upper: boolean): string {
  const nd = d.digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    const p = prec > nd ? nd : prec;
    return formatE(d, p - 1, upper ? 'E' : 'e');
  }
  const p = prec > d.dp ? nd : prec;
  return formatF(d, Math.max(p - d.dp, 0));
}

/**
 * Formats a float64 as Go's strconv.FormatFloat(x, format, prec, 64). A negative
 * precision selects the shortest representation that reads back exactly.
 */
export function formatFloat(x: number, format: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  const d = shortest ? shortestDecimal(x) : roundedDigits(x, format, prec);
  let body: string;
  switch (format) {
    case 'e':
    case 'E':
      body = formatE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, format);
      break;
    case 'f':
    case 'F':
      body = formatF(d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
      break;
    default: {
      const p = shortest ? d.digits.length : prec === 0 ? 1 : prec;
      body = formatG(d, p, shortest, format === 'G');
    }
  }
  return (negative ? '-' : '') + body;
}
