import type { Command } from 'commander';
import { runProxyCommand, type ProxyCommandOptions } from '../../proxy/command.js';
import { action, type CliRuntime } from '../main.js';

export function registerProxy(program: Command, runtime: CliRuntime): void {
  program
    .command('proxy')
    .description('the built-in canary router alone: weighted, sticky split between a stable and a canary upstream')
    .requiredOption('--listen <host:port>', 'where clients connect')
    .requiredOption('--stable <url>', 'stable upstream, e.g. http://127.0.0.1:8081')
    .requiredOption('--canary <url>', 'canary upstream, e.g. http://127.0.0.1:8082')
    .option('--baseline <url>', 'optional baseline upstream: the stable version deployed fresh, given the canary\'s share via PUT /weights {"canary": PCT, "baseline": PCT}')
    .option('--canary-weight <pct>', 'percent of requests for the canary (0..100)', '0')
    .option('--sticky <key>', 'what keeps a user on one version: header:NAME, cookie:NAME or ip')
    .option('--admin <host:port>', 'admin address: /metrics, /stats, /weights (GET, PUT {"canary": PCT}); bearer token from UF_ADMIN_TOKEN')
    .option('--sticky-salt <salt>', 'per-rollout salt, so each rollout draws its own canary users')
    .option('--connect-timeout <ms>', 'upstream connect timeout', undefined)
    .option('--upstream-timeout <ms>', 'wait for response headers', undefined)
    .option('--idle-timeout <ms>', 'longest pause in a streamed body', undefined)
    .option('--workers <n>', 'router worker processes sharing the listen socket (default: the number of cores, at most 8)')
    .option('--deadline <ms>', 'end-to-end limit to the response headers, waiting for a connection included (default: connect + upstream timeout)', undefined)
    .action(
      action(runtime, (options: ProxyCommandOptions) =>
        runProxyCommand(options, { out: (line) => runtime.output.out(line) }),
      ),
    );
}
