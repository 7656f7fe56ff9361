// Go's strconv parsing (ParseInt, ParseUint, ParseFloat, Atoi) with Go's literal
// syntax: base prefixes, underscores and hex floats. Template number constants and
// Sprig's conversions rely on exactly which strings Go accepts, which JavaScript's
// Number() does not match (it accepts "  1", "Infinity" and rejects "1_000").

export type ParseFailure = 'syntax' | 'range';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseFailure; value: T };

function underscoreOK(s: string): boolean {
  let i = 0;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  let saw = '^';
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

const DIGIT_PATTERNS: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

/** Parses an unsigned integer as Go's strconv.ParseUint; base 0 reads Go's prefixes. */
export function parseUint(s: string, base: number, bits: number): ParseResult<bigint> {
  const fail = (error: ParseFailure, value = 0n): ParseResult<bigint> => ({
    ok: false,
    error,
    value,
  });
  if (s === '') return fail('syntax');
  let digits = s;
  let b = base;
  const prefixed = base === 0;
  if (base === 0) {
    b = 10;
    if (s[0] === '0') {
      const p = s[1]?.toLowerCase();
      if (s.length >= 3 && p === 'b') [b, digits] = [2, s.slice(2)];
      else if (s.length >= 3 && p === 'o') [b, digits] = [8, s.slice(2)];
      else if (s.length >= 3 && p === 'x') [b, digits] = [16, s.slice(2)];
      else [b, digits] = [8, s.slice(1) || '0'];
    }
  }
  if (prefixed && digits.includes('_')) {
    if (!underscoreOK(s)) return fail('syntax');
    digits = digits.replace(/_/g, '');
  }
  const pattern = DIGIT_PATTERNS[b] ?? new RegExp(`^[0-9a-z]+$`, 'i');
  if (!pattern.test(digits)) return fail('syntax');
  let value = 0n;
  for (const c of digits.toLowerCase()) {
    const d = BigInt(parseInt(c, 36));
    if (d >= BigInt(b)) return fail('syntax');
    value = value * BigInt(b) + d;
  }
  const max = (1n << BigInt(bits)) - 1n;
  if (value > max) return fail('range', max);
  return { ok: true, value };
}

/** Parses a signed integer as Go's strconv.ParseInt. */
export function parseInt64(s: string, base: number, bits = 64): ParseResult<bigint> {
  if (s === '') return { ok: false, error: 'syntax', value: 0n };
  const negative = s[0] === '-';
  const body = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  const u = parseUint(body, base, bits);
  if (!u.ok && u.error === 'syntax') return { ok: false, error: 'syntax', value: 0n };
  const limit = 1n << BigInt(bits - 1);
  if (!u.ok || (!negative && u.value >= limit) || (negative && u.value > limit)) {
    return { ok: false, error: 'range', value: negative ? -limit : limit - 1n };
  }
  return { ok: true, value: negative ? -u.value : u.value };
}

const SPECIALS: Record<string, number> = {
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  nan: NaN,
};

function parseHexFloat(s: string): number | undefined {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const mantissa = m[2] + (m[3] ?? '');
  let value = 0;
  for (const c of mantissa) value = value * 16 + parseInt(c, 16);
  const exponent = Number(m[4] ?? '0') - 4 * (m[3] ?? '').length;
  const result = value * Math.pow(2, exponent);
  return m[1] === '-' ? -result : result;
}

/** Parses a float64 as Go's strconv.ParseFloat. */
export function parseFloat64(s: string): ParseResult<number> {
  const special = SPECIALS[s.toLowerCase()];
  if (special !== undefined) return { ok: true, value: special };
  let text = s;
  if (text.includes('_')) {
    if (!underscoreOK(text)) return { ok: false, error: 'syntax', value: 0 };
    text = text.replace(/_/g, '');
  }
  let value: number | undefined;
  if (/^[+-]?0[xX]/.test(text)) {
    value = /[pP]/.test(text) ? parseHexFloat(text) : undefined;
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    value = Number(text);
  }
  if (value === undefined) return { ok: false, error: 'syntax', value: 0 };
  if (!Number.isFinite(value)) return { ok: false, error: 'range', value };
  return { ok: true, value };
}

/** Go's strconv.Atoi: a decimal int with an optional sign. */
export function atoi(s: string): ParseResult<bigint> {
  return parseInt64(s, 10, 64);
}
