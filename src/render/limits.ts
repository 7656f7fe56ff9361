// Limits on rendering one spec. The time, the total output and the total
// template text cover the whole spec, not one string, because the cost of a
// review is the sum over its strings and a spec can hold hundreds of them.

export interface RenderLimits {
  /** Wall-clock time for all template strings of one spec together, in milliseconds. */
  maxDurationMs: number;
  /** Bytes of output of one template string. */
  maxOutputBytes: number;
  /** Bytes of output of all template strings of one spec together. */
  maxTotalOutputBytes: number;
  /** Bytes of one template string; a longer one is rejected before parsing. */
  maxTemplateBytes: number;
  /** Bytes of all template strings of one spec together. */
  maxTotalTemplateBytes: number;
  /** Depth of nested {{template}} calls. */
  maxCallDepth: number;
  /** Range iterations of one template string; also bounds lists a function builds. */
  maxRangeIterations: number;
  /** Bytes of one string that a function builds or takes as regex input; defaults to maxOutputBytes. */
  maxStringLength?: number;
  /** Bytes of one regular expression pattern. */
  maxRegexPatternBytes: number;
  /** Instructions of one compiled regular expression. */
  maxRegexProgramSize: number;
  /** Instructions times input characters for one regular expression call. */
  maxRegexSteps: number;
}

/*
 * The reason for each default's size is beside it. A spec of real templates
 * (arguments and environment values built from a few fields) renders in under
 * a millisecond, so every default is far above it. The times quoted are
 * estimates measured with Node 20 on one x86-64 core.
 */
export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  // A review must return well within the apiserver's webhook timeout (10 s by
  // default, at most 30 s), and each review renders at least one spec.
  maxDurationMs: 100,
  // One container argument or environment value; a larger one is no longer
  // a value that a process takes on its command line.
  maxOutputBytes: 256 * 1024,
  // The webhook stores the rendered spec in status.renderedSpec, next to the
  // spec in the same object, and etcd rejects a write over 1.5 MiB by default
  // (--max-request-bytes), so all output together stays below that.
  maxTotalOutputBytes: 1024 * 1024,
  // Parsing is not interrupted by the deadline. Dense actions such as
  // `x{{ 1 }}` parse at about 1 µs per byte once the code is warm (2 to 3 µs
  // cold), so one string parses in about 50 ms. Plain text parses far faster.
  maxTemplateBytes: 64 * 1024,
  // Four strings of the largest size. The parse-only check of a template has
  // no deadline, and this keeps it within a few hundred milliseconds.
  maxTotalTemplateBytes: 256 * 1024,
  maxCallDepth: 50,
  // Range iterations of one string, and the length of a list a function builds.
  maxRangeIterations: 10_000,
  // A compile cannot be interrupted and costs up to about 0.1 ms per Unicode
  // class such as `\pL`, so a pattern of this size compiles in under about
  // 100 ms. It still fits an alternation of a hundred model names.
  maxRegexPatternBytes: 2048,
  // Counted repetition expands when compiled (`x{1000}` is 1000 instructions).
  // This admits any single repetition Go accepts, even `\w{1,1000}`, and
  // compiles in tens of milliseconds.
  maxRegexProgramSize: 5000,
  // One search steps every instruction over every character at worst, at 20
  // to 70 ns a step in re2js 2.10.0, so a search that cannot be interrupted
  // stays below about 70 ms: a 20-instruction pattern over 50,000 characters.
  maxRegexSteps: 1_000_000,
};

/** Nesting of parentheses and control structures that parsing accepts. */
export const MAX_PARSE_DEPTH = 100;
