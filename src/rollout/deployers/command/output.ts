import { isDigest } from '../steps.js';

/** What a deploy command reported on stdout. */
export interface CommandReport {
  digest?: string;
  url?: string;
  /** A reported value that was malformed, for the digest note. */
  problem?: string;
}

/**
 * Reads a command's report from its stdout lines, as they pass (so a bound on the kept output
 * never hides it). Two declared formats:
 * - `lines`: a line `digest: sha256:<hex>` and a line `url: http://...`; the last of each wins;
 * - `json`: the last non-empty line is a JSON object with optional `digest` and `url` strings.
 */
export class CommandReportReader {
  private lastLine = '';
  private readonly report: CommandReport = {};

  constructor(private readonly format: 'lines' | 'json') {}

  line(text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    this.lastLine = trimmed;
    if (this.format !== 'lines') return;
    const match = /^(digest|url):\s*(\S+)$/.exec(trimmed);
    if (match?.[1] === 'digest') this.setDigest(match[2] ?? '');
    if (match?.[1] === 'url') this.setUrl(match[2] ?? '');
  }

  result(): CommandReport {
    if (this.format === 'json') this.readJsonLine();
    return this.report;
  }

  private readJsonLine(): void {
    let value: unknown;
    try {
      value = JSON.parse(this.lastLine);
    } catch {
      this.report.problem = this.lastLine === '' ? 'the command printed nothing' : 'its last stdout line is not JSON';
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report.problem = 'its last stdout line is not a JSON object';
      return;
    }
    const { digest, url } = value as { digest?: unknown; url?: unknown };
    if (typeof digest === 'string') this.setDigest(digest);
    if (typeof url === 'string') this.setUrl(url);
  }

  private setDigest(text: string): void {
    if (isDigest(text)) {
      this.report.digest = text;
      delete this.report.problem;
    } else this.report.problem = `it reported a malformed digest ${JSON.stringify(text.slice(0, 80))} (expected sha256:<64 hex>)`;
  }

  private setUrl(text: string): void {
    try {
      const url = new URL(text);
      if (url.protocol === 'http:' || url.protocol === 'https:') this.report.url = text;
    } catch {
      // Not a URL: the configured one, if any, stands.
    }
  }
}
