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

function float64Bits(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** The 'b' format: decimal mantissa and binary exponent, such as 4503599627370496p-52. */
function formatBinary(x: number): string {
  const { mantissa, exponent } = float64Bits(x);
  return `${mantissa}p${exponent >= 0 ? '+' : ''}${exponent}`;
}

/** The 'x' format: hexadecimal mantissa 1.hhh and a binary exponent, such as 0x1.cp+01. */
function formatHex(x: number, prec: number, upper: boolean): string {
  let { mantissa, exponent } = float64Bits(x);
  if (mantissa === 0n) exponent = 0;
  else {
    while (mantissa < 1n << 52n) {
      mantissa <<= 1n;
      exponent--;
    }
    exponent += 52;
  }
  let fraction = mantissa & ((1n << 52n) - 1n);
  let lead = mantissa === 0n ? 0n : 1n;
  let digits = 13;
  if (prec >= 0 && prec < 13) {
    const drop = BigInt(4 * (13 - prec));
    const half = 1n << (drop - 1n);
    const rest = fraction & ((1n << drop) - 1n);
    fraction >>= drop;
    if (rest > half || (rest === half && (fraction & 1n) === 1n)) fraction++;
    if (fraction >> BigInt(4 * prec) > 0n) {
      fraction = 0n;
      lead = 1n;
      exponent++;
    }
    digits = prec;
  }
  let hex = digits === 0 ? '' : fraction.toString(16).padStart(digits, '0');
  if (prec < 0) hex = hex.replace(/0+$/, '');
  else if (prec > 13) hex = hex + '0'.repeat(prec - 13);
  const sign = exponent < 0 ? '-' : '+';
  const magnitude = Math.abs(exponent);
  let out = `0x${lead}${hex === '' ? '' : '.' + hex}p${sign}${magnitude < 10 ? '0' : ''}${magnitude}`;
  if (upper) out = out.toUpperCase();
  return out;
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
  if (format === 'b') return (negative ? '-' : '') + formatBinary(x);
  if (format === 'x' || format === 'X')
    return (negative ? '-' : '') + formatHex(x, prec, format === 'X');
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
