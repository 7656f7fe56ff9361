// Cases for Sprig's regex functions: RE2 syntax, Go's match iteration,
// replacement expansion and Split rules, and the compile error texts of Go's
// regexp package in both the plain (MustCompile) and must* forms. The last
// group covers strings.Replace, whose empty and `$` arguments JavaScript's
// replaceAll treats differently.

import type { TemplateCase } from '../oracle.js';

const data = { s: 'Hello, World', uni: 'héllo wörld', emoji: 'a😀b😀' };

/** RE2 syntax that JavaScript's RegExp lacks or reads differently. */
const syntax: string[] = [
  String.raw`{{ regexFind "\\Qa.b\\E" "xa.b" }}|{{ regexFind "\\Qab" "xab" }}|{{ regexMatch "a\\z" "ba" }}|{{ regexMatch "\\Aa" "ab" }}`,
  String.raw`{{ regexFindAll "(?U)a+" "aaa" -1 }} {{ regexFindAll "(?U)a+?" "aaa" -1 }} {{ regexFind "(?i)HELLO" .s }} {{ regexFind "(?i:w)ORLD" .s }}`,
  String.raw`{{ regexFindAll "(?s)." "a\nb" -1 }} {{ regexFind "(?-s:.)+" "ab\ncd" }} {{ regexFindAll "(?m)^\\w" "ab\ncd" -1 }} {{ regexFindAll "^\\w" "ab\ncd" -1 }}`,
  String.raw`{{ regexFind "[[:upper:]]+" .s }} {{ regexFind "[[:word:]]+" "!ab_1!" }} {{ regexFind "[^[:alpha:]]+" .s }} {{ regexFind "\\pL+" .uni }}`,
  String.raw`{{ regexFind "\\p{Greek}+" "abc αβγ" }} {{ regexFind "\\x{1F600}" .emoji }} {{ regexFind "\\PL+" "ab12cd" }} {{ regexFind "[\\d\\s]+" "ab1 2cd" }}`,
  String.raw`{{ regexFind "(?i)ǅ" "ǆ" }} {{ regexFind "(?i)k" "\u212a" }} {{ regexFindAll "\\bé" "é xé" -1 }} {{ regexFindAll "\\b\\w+\\b" .uni -1 }}`,
  String.raw`{{ regexFind "[]a]+" "]a]" }} {{ regexFind "[^]a]+" "]bc" }} {{ regexFind "[a-]+" "-a-" }} {{ regexFind "a{,3}" "a{,3}" }} {{ regexFind "{" "{" }} {{ regexFind "x{0}y" "xy" }}`,
  String.raw`{{ regexFind "(?P<first>\\w+) (?<second>\\w+)" .s }} {{ regexFind "(?#x)" "a" }}`,
];

/** FindAll with n, empty matches and characters outside the Basic Multilingual Plane. */
const matching: string[] = [
  '{{ regexFindAll "a" "aaaa" 0 }} {{ regexFindAll "a" "aaaa" 2 }} {{ regexFindAll "a" "aaaa" -5 }} {{ len (regexFindAll "a" "aaaa" 0) }}',
  '{{ regexFindAll "😀|a" .emoji -1 }} {{ regexFindAll "" "😀x" -1 }} {{ regexFindAll "" "héllo" -1 }}',
  '{{ regexFindAll "a*" "baaab" -1 }} {{ regexFindAll "a*?" "baaab" -1 }} {{ regexFindAll "b*" "abcbbd" 3 }}',
  '{{ regexMatch "^$" "" }} {{ regexMatch "\\\\A\\\\z" "" }} {{ mustRegexMatch "a" "cat" }} {{ regexMatch "^a" "cat" }}',
  '{{ regexFind "(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" }}|{{ regexMatch "^(a|aa)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" }}',
];

/** Go's Regexp.Expand: `$n`, `${n}`, `$name`, `${name}`, `$$` and malformed references. */
const replacement: string[] = [
  '{{ regexReplaceAll "(?P<w>\\\\w+)" "ab cd" "${w}x $wx ${1}0 $10 ${ $ $} ${2}" }}',
  '{{ regexReplaceAll "(a)" "aa" "$0|$00|$1|$01|$100000000|${1|$é|$" }}',
  '{{ regexReplaceAll "(?P<é>a)" "a" "$é" }} {{ regexReplaceAll "(?<x>b)" "abc" "<${x}>" }}',
  '{{ regexReplaceAll "(?P<n>a)|(?P<n>b)" "abc" "[$n]" }} {{ regexReplaceAll "(a)|(b)" "ab" "[$1|$2]" }}',
  '{{ regexReplaceAll "" "héllo" "-" }} {{ regexReplaceAll "" "😀x" "-" }} {{ regexReplaceAll "x*" "" "E" }}',
  '{{ regexReplaceAll "(?P<constructor>a)(?P<__proto__>b)" "ab" "[$constructor|$__proto__|$toString]" }}',
  '{{ regexReplaceAll "(?P<__proto__>a)|(?P<__proto__>b)" "ab" "[$__proto__]" }}',
  '{{ regexReplaceAll "a*" "baaac" "<$0>" }} {{ regexReplaceAllLiteral "a*" "baaac" "$1${x}" }} {{ regexReplaceAllLiteral "o" .s "$$" }}',
];

/** Go's Regexp.Split: n, empty patterns and empty input. */
const splitting: string[] = [
  '{{ regexSplit "a" "babab" 1 }} {{ regexSplit "a" "babab" 2 }} {{ regexSplit "a" "babab" 0 }} {{ regexSplit "a" "babab" 10 }} {{ len (regexSplit "a" "babab" 0) }}',
  '{{ regexSplit "b*" "abcbbd" -1 }} {{ regexSplit "(x)?" "axb" -1 }} {{ regexSplit "a" "aaa" -1 }}',
  '{{ regexSplit "" "abc" -1 }} {{ regexSplit "x*" "" -1 }} {{ regexSplit "" "" -1 }} {{ regexSplit "" "😀x" 2 }}',
];

/** Patterns that Go's regexp rejects, through the must* functions. */
const invalidPatterns: string[] = [
  '(',
  'a)',
  '\\',
  '(?=a)',
  '(?!a)',
  '(?<=a)b',
  '(a)\\1',
  '\\8',
  'a**',
  'a++',
  'a??+',
  'x{2}{3}',
  '*',
  'a{1001}',
  'x{1,1001}',
  '((a{100}){100}){100}',
  '[z-a]',
  '[a-\\pL]',
  '\\pX',
  '[[:foo:]]',
  '\\x{110000}',
  '\\C',
  '[a',
  '(?P<>a)',
  '(?P<a-b>x)',
  '(?P<name',
  '(?P=name)',
  '(?z)',
  '(?i',
  '(?P<n>a)(?P<n>b)(',
  '\\pL{2}(',
  `${'('.repeat(1001)}x${')'.repeat(1001)}`,
];

/** Go quotes the pattern in MustCompile's text with backquotes unless it contains a backquote or a control character. */
const plainErrors: string[] = [
  '{{ regexMatch "(" "x" }}',
  '{{ regexFind "(" "x" }}',
  '{{ regexFindAll "[" "a" -1 }}',
  '{{ regexReplaceAll "(?P<n>a)(?P<n>b)(" "ab" "x" }}',
  '{{ regexReplaceAllLiteral "[" "a" "" }}',
  '{{ regexSplit "(" "a" -1 }}',
  '{{ regexFind "a`(" "x" }}',
  '{{ regexFind "\\n(" "x" }}',
  '{{ regexFind "\\ufeff(" "x" }}',
  '{{ mustRegexFindAll "(" "a" -1 }}',
  '{{ mustRegexReplaceAll "(?P<n>a)(?P<n>b)(" "ab" "x" }}',
  '{{ mustRegexReplaceAllLiteral "[" "a" "" }}',
  '{{ mustRegexSplit "(" "a" -1 }}',
  '{{ mustRegexMatch "(" "x" }}',
];

/** strings.Replace, which Sprig's replace calls. */
const replace: string[] = [
  '{{ replace "a" "$&" "cat" }}|{{ replace "" "-" "a😀b" }}|{{ replace "" "-" "" }}|{{ replace "a" "$$" "aa" }}|{{ replace "" "" "ab" }}',
];

/** Returns the pattern as a Go string literal for a template. */
function goString(pattern: string): string {
  return JSON.stringify(pattern);
}

export const regexCases: TemplateCase[] = [
  ...syntax,
  ...matching,
  ...replacement,
  ...splitting,
  ...invalidPatterns.map((pattern) => `{{ mustRegexFind ${goString(pattern)} "x" }}`),
  ...plainErrors,
  ...replace,
].map((template) => ({ template, json: data }));
