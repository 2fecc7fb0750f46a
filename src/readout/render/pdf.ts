import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UfError } from '../../core/errors.js';

/** The chromium (or chrome) executables tried in PATH order when no browser is named. */
export const browserNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** The first browser found on `path` (a PATH value), or undefined. */
export function findBrowser(path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    for (const name of browserNames) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

export interface PdfOptions {
  /** Path of a chromium-family browser. */
  browser: string;
  /** The browser is killed after this long; the default allows a cold start on a busy machine. */
  timeoutMs?: number;
}

/**
 * Prints an HTML page to PDF with headless chromium (`--print-to-pdf`): the page is written to a
 * temporary folder, printed, and the folder removed. A browser that fails, hangs past the timeout
 * or writes no PDF is an error naming the browser and what it said.
 */
export async function renderPdf(html: string, options: PdfOptions): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'uf-readout-'));
  try {
    const page = join(dir, 'readout.html');
    const out = join(dir, 'readout.pdf');
    writeFileSync(page, html);
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-pdf-header-footer',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--print-to-pdf=${out}`,
      `file://${page}`,
    ];
    const timeout = options.timeoutMs ?? 60_000;
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(options.browser, args, { timeout, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 }, (error, _stdout, err) => {
        if (error) {
          const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is not installed there' : error.killed ? `it did not finish within ${timeout} ms` : `it exited with ${error.code ?? error.signal}`;
          reject(new UfError('source_unavailable', `printing the readout to PDF with ${options.browser} failed: ${why}${err.trim() ? `: ${lastLine(err)}` : ''}`));
        } else resolve(err);
      });
    });
    if (!existsSync(out)) throw new UfError('source_unavailable', `${options.browser} wrote no PDF${stderr.trim() ? `: ${lastLine(stderr)}` : ''}`);
    const pdf = readFileSync(out);
    if (pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw new UfError('source_unavailable', `${options.browser} wrote a file that is not a PDF`);
    return pdf;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)!.slice(0, 300);
}
