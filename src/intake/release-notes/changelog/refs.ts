/**
 * References an entry carries: advisory ids (the join key with OSV data), issue and pull request
 * numbers, and commit hashes. Upper-case CVE ids, lower-case GHSA bodies as OSV writes them.
 */
const cvePattern = /\bCVE-\d{4}-\d{4,}\b/gi;
const ghsaPattern = /\bGHSA(?:-[0-9a-z]{4}){3}\b/gi;
// `#12`, not `#123b`, `package#2.0` or `&#39;`.
const issuePattern = /(?<![\w&/#])#(\d{1,7})(?![\w]|\.\d)/g;
const issueUrlPattern = /\/(?:pull|issues)\/(\d{1,7})\b/g;
const commitUrlPattern = /\/commit\/([0-9a-f]{7,40})\b/gi;
// A bare hash must hold a digit and a letter, so `deadbeef`-like words and numbers are left alone.
const hashPattern = /(?<![\w/.-])([0-9a-f]{7,40})(?![\w-])/gi;

export function extractRefs(text: string): string[] {
  const refs = new Set<string>();
  for (const match of text.matchAll(cvePattern)) refs.add(match[0].toUpperCase());
  for (const match of text.matchAll(ghsaPattern)) refs.add(`GHSA${match[0].slice(4).toLowerCase()}`);
  for (const match of text.matchAll(issuePattern)) refs.add(`#${match[1]}`);
  for (const match of text.matchAll(issueUrlPattern)) refs.add(`#${match[1]}`);
  const hashes = new Set<string>();
  for (const match of text.matchAll(commitUrlPattern)) hashes.add((match[1] ?? '').toLowerCase());
  for (const match of text.matchAll(hashPattern)) {
    const hash = (match[1] ?? '').toLowerCase();
    if (/\d/.test(hash) && /[a-f]/.test(hash)) hashes.add(hash);
  }
  // `[abc1234](…/commit/abc1234def…)` names one commit twice: keep the full hash.
  for (const hash of hashes) {
    const longer = [...hashes].some((other) => other.length > hash.length && other.startsWith(hash));
    if (!longer) refs.add(hash);
  }
  return [...refs];
}
