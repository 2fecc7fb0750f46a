import { access, constants } from 'node:fs/promises';
import type { BrowserJourneyStep } from '../../config/sections/journeys.js';
import { resolveStepUrl } from './template.js';
import type { CheckOutcome, ProbeTarget } from './types.js';

/** The part of a browser page the browser steps use (playwright-core's Page has it). */
export interface ProbePage {
  goto(url: string, options: { timeout: number }): Promise<unknown>;
  click(selector: string, options: { timeout: number }): Promise<void>;
  fill(selector: string, value: string, options: { timeout: number }): Promise<void>;
  textContent(selector: string, options: { timeout: number }): Promise<string | null>;
}

export interface ProbeBrowser {
  page: ProbePage;
  close(): Promise<void>;
}

/** Starts a browser for one journey run; rejects with a message a user can act on. */
export type BrowserLauncher = (options: { executablePath: string; target: ProbeTarget }) => Promise<ProbeBrowser>;

/**
 * Debian's chromium through playwright-core (no browser download): headless, one context per run
 * with the target's headers (a forcing header or cookie reaches every request the page makes).
 */
export const playwrightLauncher: BrowserLauncher = async ({ executablePath, target }) => {
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(`no executable chromium at ${executablePath} (install Debian's chromium, or set journeys[].browser.executablePath)`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'], timeout: 30_000 });
  try {
    const context = await browser.newContext({ extraHTTPHeaders: target.headers ?? {} });
    const page = await context.newPage();
    return { page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
};

/** What one browser step did: its checks (a failed action is one) and its description. */
export async function runBrowserStep(page: ProbePage, step: BrowserJourneyStep, target: ProbeTarget): Promise<{ request: string; checks: CheckOutcome[] }> {
  const options = { timeout: step.timeout };
  const failedAction = (request: string, error: unknown): { request: string; checks: CheckOutcome[] } => ({
    request,
    checks: [{ check: 'action', ok: false, expected: `${request} succeeds`, actual: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '' }],
  });
  switch (step.action) {
    case 'goto': {
      const url = resolveStepUrl(target.baseUrl, step.url);
      const request = `goto ${url}`;
      try {
        const response = (await page.goto(url, options)) as { status(): number } | null;
        const status = response?.status();
        if (status === undefined) return { request, checks: [{ check: 'action', ok: true, expected: 'the page loads', actual: 'loaded' }] };
        return { request, checks: [{ check: 'status', ok: status < 400, expected: 'below 400', actual: String(status) }] };
      } catch (error) {
        return failedAction(request, error);
      }
    }
    case 'click': {
      const request = `click ${step.selector}`;
      try {
        await page.click(step.selector, options);
        return { request, checks: [{ check: 'action', ok: true, expected: `${step.selector} clicked`, actual: 'clicked' }] };
      } catch (error) {
        return failedAction(request, error);
      }
    }
    case 'fill': {
      const request = `fill ${step.selector}`;
      try {
        await page.fill(step.selector, step.value, options);
        return { request, checks: [{ check: 'action', ok: true, expected: `${step.selector} filled`, actual: 'filled' }] };
      } catch (error) {
        return failedAction(request, error);
      }
    }
    case 'expectText': {
      const selector = step.selector ?? 'body';
      const request = `expectText ${JSON.stringify(step.text)} in ${selector}`;
      try {
        const text = (await page.textContent(selector, options)) ?? '';
        return { request, checks: [{ check: 'text', ok: text.includes(step.text), expected: `${selector} contains ${JSON.stringify(step.text)}`, actual: text.length > 200 ? `${text.slice(0, 200)}…` : text }] };
      } catch (error) {
        return failedAction(request, error);
      }
    }
  }
}
