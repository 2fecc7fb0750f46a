import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildReadout, readoutContext, readoutFormats, readoutText, type ReadoutFormat } from '../../app/readout.js';
import { checkKnown } from '../../core/known-names.js';
import { UfError } from '../../core/errors.js';
import { findBrowser, renderPdf } from '../../readout/render/pdf.js';
import { renderHtml } from '../../readout/render/html.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';

interface ReadoutOptions {
  period?: string;
  format: string;
  out?: string;
}

/** `uf readout UPGRADE` and `uf readout --period 2026-Q4`: the executive readout, as Markdown, HTML or PDF. */
export function registerReadout(program: Command, runtime: CliRuntime): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program
    .command('readout')
    .description('the executive readout of an upgrade or a period: what changed, why now, what risk reduced, what business metric improved')
    .argument('[upgrade]', 'upgrade id')
    .option('--period <period>', 'a period instead of an upgrade: 2026-Q4, 2026-11, 2026, or 2026-11-01..2026-11-30')
    .option('--format <format>', `${readoutFormats.join(', ')} (pdf needs --out and a chromium browser: UF_CHROMIUM or chromium on PATH)`, 'md')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(
      action(runtime, async (upgrade: string | undefined, options: ReadoutOptions) => {
        checkKnown('format', '--format', options.format, readoutFormats, 'usage');
        const format = options.format as ReadoutFormat;
        if ((upgrade === undefined) === (options.period === undefined)) throw new UfError('usage', 'name an upgrade id or --period, not both and not neither (e.g. `uf readout upg_… ` or `uf readout --period 2026-Q4`)');
        if (format === 'pdf' && options.out === undefined) throw new UfError('usage', '--format pdf writes a file: add --out FILE');
        const browser = format === 'pdf' ? (process.env.UF_CHROMIUM ?? findBrowser(process.env.PATH)) : undefined;
        if (format === 'pdf' && browser === undefined) throw new UfError('usage', '--format pdf needs a chromium browser: install chromium, or name one with UF_CHROMIUM');
        const readout = await withAppRoot(global(), (root) => buildReadout(readoutContext(root), upgrade !== undefined ? { upgradeId: upgrade } : { period: options.period! }), 'read');
        const body = format === 'pdf' ? await renderPdf(renderHtml(readout), { browser: browser! }) : readoutText(readout, format);
        if (options.out === undefined) runtime.output.out(body as string);
        else {
          writeFileSync(options.out, body);
          runtime.output.err(`wrote ${options.out}`);
        }
        return 0;
      }),
    );
}
