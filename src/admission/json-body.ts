// Parses a request body as JSON under a nesting limit. JSON.parse keeps keys
// such as `__proto__` and `constructor` as ordinary own properties, so they
// reach the webhook as unknown fields and get a field error with a path,
// where a proto-rejecting parser would respond with 400 and the apiserver would
// report a webhook failure instead of the field. The depth is checked by a
// loop before parsing, so deep input is rejected without recursion and
// before any object is built.
import { ERR_BODY_EMPTY, ERR_BODY_NOT_JSON, ERR_JSON_TOO_DEEP } from './http-errors.js';

/** Default nesting limit: an AdmissionReview of a pod template nests about 15 levels. */
export const DEFAULT_MAX_JSON_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Returns the index of the quote that closes the string opened at `start`,
 * or -1 when the string is not closed.
 */
function closingQuote(text: string, start: number): number {
  let index = text.indexOf('"', start + 1);
  while (index !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(index - 1 - backslashes) === BACKSLASH) backslashes++;
    // An even run of backslashes escapes itself, so the quote closes the string.
    if (backslashes % 2 === 0) return index;
    index = text.indexOf('"', index + 1);
  }
  return -1;
}

/**
 * Returns true when objects and arrays in `text` nest deeper than `maxDepth`.
 * Brackets inside strings do not count. The result for text that is not JSON
 * is meaningless, and JSON.parse reports that text afterwards.
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = closingQuote(text, index);
      if (index === -1) return false;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Describes a JSON.parse failure by where it happened. V8's own message can
 * quote a piece of the body, which must not reach the logs.
 */
function describeSyntaxError(error: unknown): string | undefined {
  if (!(error instanceof SyntaxError)) return undefined;
  if (error.message.startsWith('Unexpected end of JSON input'))
    return 'the body ends inside a value';
  const position = /position (\d+)/.exec(error.message);
  return position === null ? undefined : `syntax error at position ${position[1]}`;
}

/**
 * Parses `text` as JSON. Throws an HttpError with status 400 for an empty
 * body, for nesting deeper than `maxDepth`, and for a syntax error.
 */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === '') throw ERR_BODY_EMPTY();
  if (exceedsJsonDepth(text, maxDepth)) throw ERR_JSON_TOO_DEEP(maxDepth);

  try {
    return JSON.parse(text);
  } catch (error) {
    throw ERR_BODY_NOT_JSON(describeSyntaxError(error));
  }
}
