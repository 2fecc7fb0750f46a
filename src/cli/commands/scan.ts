import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { parseFailOn } from '../../intake/scan/fail-on.js';
import { scanAdapters } from '../../app/adapters.js';
import { scanInventory, type ScanResult } from '../../intake/scan/index.js';
import { renderMarkdown } from '../../intake/scan/markdown.js';
import { renderSarif } from '../../intake/scan/sarif.js';
import { scanVerdict } from '../../intake/scan/verdict.js';
import type { SsvcMissionWellbeing } from '../../risk/ssvc/types.js';
import { limitsFromEnv } from '../../core/input/index.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson, type Output } from '../output.js';

const formats = ['table', 'json', 'sarif', 'markdown'] as const;
type ScanFormat = (typeof formats)[number];
const missions = ['low', 'medium', 'high'] as const;

interface ScanOptions {
  inventory: string;
  advisories: string;
  json?: boolean;
  format?: string;
  failOn?: string;
  kev?: string;
  mission?: string;
}

export function registerScan(program: Command, runtime: CliRuntime): void {
  program
    .command('scan')
    .description('match one inventory against OSV advisories, without a database; exit 1 when something is affected, 2 when some input could not be read')
    .requiredOption('--inventory <file>', 'CycloneDX JSON, SPDX 2.3 JSON or npm package-lock')
    .requiredOption('--advisories <path>', 'OSV file, folder, all.zip export or URL')
    .option('--format <format>', `output: ${formats.join(', ')} (default table)`)
    .option('--json', 'machine-readable output (same as --format json)')
    .option('--fail-on <threshold>', 'exit 1 only for a finding at or above a severity (low, medium, high, critical) or an SSVC decision (track, track*, attend, act)')
    .option('--kev <file>', 'CISA KEV catalog, so SSVC exploitation reads "active" for listed CVEs')
    .option('--mission <level>', 'SSVC mission and well-being of the scanned service: low, medium (default), high')
    .action(
      action(runtime, async (options: ScanOptions) => {
        const format = chooseFormat(options);
        const failOn = parseFailOn(options.failOn);
        const mission = chooseMission(options.mission);
        // No factory.yaml here: size limits come from UF_LIMIT_INVENTORY / UF_LIMIT_ADVISORY, else defaults.
        const result = await scanInventory(scanAdapters, options.inventory, options.advisories, { ...(options.kev !== undefined ? { kev: options.kev } : {}), ...(mission ? { mission } : {}), limits: limitsFromEnv(process.env) });
        const verdict = scanVerdict(result, failOn);
        for (const problem of result.advisories.problems) runtime.output.err(`uf: skipped: ${problem}`);
        if (format === 'json') printJson(runtime.output, { ...result, status: verdict.status, exitCode: verdict.exitCode, reason: verdict.reason });
        else if (format === 'sarif') printJson(runtime.output, renderSarif(result, { toolVersion: packageVersion() }));
        else if (format === 'markdown') runtime.output.out(renderMarkdown(result));
        else printTable(runtime.output, result);
        if (verdict.status === 'incomplete') runtime.output.err(`uf: incomplete: ${verdict.reason}`);
        return verdict.exitCode;
      }),
    );
}

function chooseFormat(options: ScanOptions): ScanFormat {
  if (options.json && options.format !== undefined && options.format !== 'json') throw new UfError('usage', `--json and --format ${options.format} contradict each other`);
  const format = options.json ? 'json' : (options.format ?? 'table');
  if (!(formats as readonly string[]).includes(format)) throw new UfError('usage', `--format takes ${formats.join(', ')}, not "${format}"`);
  return format as ScanFormat;
}

function chooseMission(text: string | undefined): SsvcMissionWellbeing | undefined {
  if (text === undefined) return undefined;
  if (!(missions as readonly string[]).includes(text)) throw new UfError('usage', `--mission takes ${missions.join(', ')}, not "${text}"`);
  return text as SsvcMissionWellbeing;
}

function printTable(output: Output, result: ScanResult): void {
  output.out(`${result.inventory.file}: ${result.inventory.components} components (${result.inventory.format}) against ${result.advisories.read} advisories`);
  if (result.findings.length === 0) output.out(result.complete ? 'no known vulnerabilities' : 'no known vulnerabilities in what could be read (the scan is incomplete)');
  else {
    output.out(
      formatTable(
        ['PACKAGE', 'VERSION', 'ADVISORY', 'SEVERITY', 'SSVC', 'FIXED IN', 'SUMMARY'],
        result.findings.map((f) => [f.name, f.version, f.advisory, f.severity.score !== undefined ? `${f.severity.score} ${f.severity.label}` : (f.severity.label ?? '-'), f.ssvc.decision, f.fixedIn.join(', ') || '-', f.summary.slice(0, 60)]),
      ),
    );
    output.out('\nfix:');
    for (const fix of result.fixes) output.out(`  ${fix.component} ${fix.currentVersions.join(', ')} -> ${fix.minimalFix ?? 'no fixed version known'}`);
  }
  if (!result.complete) output.out(`incomplete: ${result.advisories.unreadable.length} advisory inputs could not be read (listed on stderr)`);
  for (const u of result.unsupportedEcosystems) output.out(`note: ${u.components} ${u.ecosystem} components not checked (no version scheme for ${u.ecosystem})`);
}

let version: string | undefined;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
