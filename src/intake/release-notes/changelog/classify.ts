import { normalizeKinds } from '../kinds.js';
import type { ChangeKind, ReleaseChange } from '../types.js';
import { extractRefs } from './refs.js';

/**
 * What a changelog section heading says about its entries. First matching rule wins, so
 * "Security Fixes" is security and "Performance Improvements" is not a feature. Undefined: a
 * heading this classifier does not know.
 */
const sectionRules: readonly [RegExp, ChangeKind][] = [
  [/\bnon[- ]breaking\b/, 'other'],
  [/\bbreaking\b|\bremoved?\b|\bremovals?\b|\bmajor changes?\b|\bincompatib/, 'breaking'],
  [/\bdeprecat/, 'deprecation'],
  [/\bsecurity\b|\bvulnerab/, 'security'],
  [/\bmigrat|\bupgrade (?:guide|notes|instructions|steps)\b/, 'migration'],
  [/\bperformance\b|\bperf\b/, 'other'],
  [/\bbug ?fix|\bfix(?:es|ed)?\b|\bbugs?\b|\bpatch changes?\b/, 'fix'],
  [/\bfeatures?\b|\badded\b|^adds?$|\benhancements?\b|\bimprovements?\b|\bminor changes?\b|^new\b/, 'feature'],
  [
    /\bchanged?\b|\bchores?\b|\bmaintenance\b|\bdoc|\brefactor|\bbuild\b|\bdependenc|\bdeps\b|\btests?\b|\breverts?\b|\bmisc|\bother|\bci\b|\bstyles?\b|\binternal\b|what s changed|\bupdate/,
    'other',
  ],
];

export function sectionKind(heading: string): ChangeKind | undefined {
  const words = heading
    .toLowerCase()
    .replace(/[^a-z0-9&\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return sectionRules.find(([pattern]) => pattern.test(words))?.[1];
}

/** Sections that list people, not changes (GitHub's generated "New Contributors"). */
export function isCreditsSection(heading: string): boolean {
  return /\bcontributors?\b|\bthanks\b|\backnowledg|\bcredits\b/i.test(heading);
}

/** Links reduced to their labels and bare URLs dropped, so a URL's path cannot classify an entry. */
function plain(text: string): string {
  // Bounded, so a run of unclosed `[` cannot make the scan quadratic.
  return text
    .replace(/\[([^\]\n]{0,300})\]\([^)\s]{0,1000}\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[*_]{2}/g, '')
    .replace(/\s+/g, ' ');
}

/** The entry without what tools put before the words: `[pkg]`, `**scope:**`, PR links, hashes, thanks. */
function lead(words: string): string {
  let rest = words;
  const noise =
    /^\s*(?:`[^`]*`|\[[^\]]*\]|\([^)]*\)|#\d+|[0-9a-f]{7,40}\b|thanks\s+@?[\w-]+!?\s*|@[\w-]+|[-–—:,]\s)/i;
  for (let i = 0; i < 12; i += 1) {
    const next = rest.replace(noise, '');
    if (next === rest) break;
    rest = next;
  }
  return rest.trim();
}

/** `lead` without a `scope:` or `type(scope):` prefix: `deps: remove x` → `remove x`. */
function subjectOf(start: string): string {
  return start.replace(/^[\w./@-]+(?:\([^)]*\))?!?:\s+/, '');
}

// What a removal must name to be breaking: code (`x`, `f()`), or an API noun right after the verb.
const codeLike = /`|\w\(\)/;
const apiNoun =
  /^(?:(?:the|all|several|deprecated|undocumented|legacy|old)\s+)*(?:\S+\s+)?(?:options?|methods?|apis?|arguments?|parameters?|params?|exports?|flags?|commands?|functions?|propert(?:y|ies)|signatures?|endpoints?|globals?|aliases|helpers?|support)\b/i;
// Removals that are housekeeping, not a change to what users call.
const housekeeping = /^(?:unnecessary|unneeded|unused|redundant|dead|duplicated?|extra|stale|usage of|internal|private)\b/i;
const internalPrefix = /^(?:perf|refactor|chore|test|tests|docs|style|ci|build|deps|deps-dev)(?:\([^)]*\))?:/i;

function isBreakingRemoval(start: string, subject: string, context: readonly ChangeKind[]): boolean {
  // In a fixes section, removing something is how the bug was fixed.
  if (context.includes('fix') || internalPrefix.test(start)) return false;
  const removal = /^(?:remove[sd]?|removing|drop(?:s|ped)?|delete[sd]?)\s+(.*)$/i.exec(subject);
  const object = removal?.[1];
  if (object === undefined || housekeeping.test(object) || /\bdependenc(?:y|ies)\b/i.test(object)) return false;
  return codeLike.test(object) || apiNoun.test(object);
}

/** Kinds the wording of an entry adds to what its section says: only ever more specific. */
export function textKinds(text: string, context: readonly ChangeKind[] = []): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  const words = plain(text);
  const start = lead(words);
  const subject = subjectOf(start);
  if (isBreaking(text, words, start, subject, context)) kinds.push('breaking');
  if (isDeprecation(words, start, subject)) kinds.push('deprecation');
  if (isSecurity(text, words)) kinds.push('security');
  if (/\bmigrat(?:e|es|ed|ing|ion|ions)\b|\bschema changes?\b/i.test(words)) kinds.push('migration');
  // A Conventional Commits prefix says what the entry is, whatever the section.
  if (/^(?:feat|feature)(?:\([^)]*\))?!?:/i.test(start)) kinds.push('feature');
  else if (/^fix(?:\([^)]*\))?!?:/i.test(start)) kinds.push('fix');
  // The leading verb only where nothing else does: not under "Changed", nor for a `docs:` commit.
  else if (context.length === 0) {
    if (/^(?:add|adds|added|adding|introduce[sd]?|implement(?:s|ed)?|new)\b/i.test(subject)) kinds.push('feature');
    else if (/^(?:fix|fixes|fixed|fixing|resolve[sd]?|correct(?:s|ed)?)\b/i.test(subject)) kinds.push('fix');
  }
  return kinds;
}

function isBreaking(raw: string, words: string, start: string, subject: string, context: readonly ChangeKind[]): boolean {
  if (/\*\*breaking(?: changes?)?\*\*|__breaking(?: changes?)?__|\[breaking(?: changes?)?\]|\(breaking(?: changes?)?\)/i.test(raw)) {
    return true;
  }
  if (/^(?:⚠️?\s*)?breaking(?:[ -]changes?)?\s*[:!]/i.test(start) || /^\w+(?:\([^)]*\))?!:/.test(start)) return true;
  // In capitals mid-sentence it names the Conventional Commits token ("stop parsing BREAKING CHANGE
  // messages"), not a change that breaks.
  const phrases = words.matchAll(/(?<!\bnon[- ]|\bno |\bnot a |\bwithout (?:a |any )?)\bbreaking (?:api )?changes?\b/gi);
  if ([...phrases].some((match) => match[0] !== match[0].toUpperCase())) return true;
  if (
    /\bdrop(?:s|ped|ping)?\s+(?:support\s+for\s+|the\s+)?(?:node(?:\.?js)?|python|ruby|php|java|ie\s?\d+|internet explorer)\b/i.test(words) ||
    /\b(?:drop(?:s|ped|ping)?|remov(?:e|es|ed|ing)|end(?:s|ed)?)\s+support\b|\bno longer (?:a )?support/i.test(words) ||
    /\b(?:minimum|min\.?)\s+(?:supported\s+)?(?:node(?:\.?js)?|python)\s+versions?\b|\brequires? node(?:\.?js)?\s*v?\d/i.test(words)
  ) {
    return true;
  }
  if (isBreakingRemoval(start, subject, context)) return true;
  if (/\b(?:has|have) been removed\b|\b(?:is|are|was|were) (?:now )?removed\b|\bremoved,? in favou?r of\b|\bremoved\s*[.;]?\s*$/i.test(words)) {
    return true;
  }
  return /\bsemver[- ]major\b|\bmajor (?:version )?(?:bump|increment)\b|\bbackwards?[- ]incompatible\b|\bnot backwards?[- ]compatible\b/i.test(words);
}

function isDeprecation(words: string, start: string, subject: string): boolean {
  return (
    /\bdeprecat(?:e|es|ing)\b/i.test(words) ||
    /\b(?:is|are|was|were|been|now|being|becomes?|marked(?: as)?)\s+deprecated\b/i.test(words) ||
    /^deprecated?\b/i.test(start) ||
    /^deprecated?\b/i.test(subject) ||
    /\bdeprecation (?:warning|notice|message)s?\b.{0,40}\b(?:added|introduced)\b/i.test(words) ||
    /\b(?:add|adds|added|introduce[sd]?)\b.{0,40}\bdeprecation (?:warning|notice|message)/i.test(words) ||
    /\b(?:slated|scheduled|planned|marked) for removal\b|\bwill be removed in (?:the next|a future|an upcoming|v?\d)/i.test(words)
  );
}

function isSecurity(raw: string, words: string): boolean {
  return (
    /\bCVE-\d{4}-\d{4,}\b|\bGHSA(?:-[0-9a-z]{4}){3}\b/i.test(raw) ||
    /\bsecurity\b|\bvulnerab(?:le|ility|ilities)\b/i.test(words) ||
    /\b(?:xss|csrf|ssrf|redos|prototype pollution|denial[- ]of[- ]service|remote code execution|path traversal|directory traversal|sql injection|command injection|open redirect)\b/i.test(words)
  );
}

/** One change: the context's kinds (section, label) raised by what the text says. */
export function classifyChange(text: string, context: readonly ChangeKind[]): ReleaseChange {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  const kinds = normalizeKinds([...context, ...textKinds(collapsed, context)]);
  return { kind: kinds[0] ?? 'other', text: collapsed, kinds, refs: extractRefs(collapsed) };
}
