/**
 * npm run bench:cli — how fast `uf --help` and `uf --version` answer (the built bin/uf.js, so run
 * `npm run build` first), against `node -e 0` in the same run as the reference: the ratio is what
 * to compare across machines. The target is under 0.3 s on an idle machine. Median of
 * UF_BENCH_RUNS runs (default 15), runs interleaved so that a noisy neighbour hits all three alike.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.UF_BENCH_RUNS ?? 15);
const ufBin = fileURLToPath(new URL('../bin/uf.js', import.meta.url));
const cases: Record<string, string[]> = {
  'node -e 0 (reference)': ['-e', '0'],
  'uf --help': [ufBin, '--help'],
  'uf --version': [ufBin, '--version'],
};

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) samples[name]!.push(timeOnce(args));

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const reference = median(samples['node -e 0 (reference)']!);
console.log(`median of ${runs} runs`);
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values);
  console.log(`${name.padEnd(24)} ${(ms / 1000).toFixed(3)} s  ${(ms / reference).toFixed(2)}x node -e 0`);
}
