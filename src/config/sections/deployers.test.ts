import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../load.js';
import { deployersSchema, fillPlaceholders, unknownPlaceholders } from './deployers.js';

/** The `deployers:` section through factory.yaml's own loader: each problem as `file:line: path: message`. */
function problems(lines: string[]): string[] {
  try {
    parseConfig(['deployers:', ...lines, 'version: 1', ''].join('\n'), 'factory.yaml');
    return [];
  } catch (error) {
    return (error as { describe(): string }).describe().split('\n');
  }
}

function parse(lines: string[]) {
  const doc = parseDocument(['deployers:', ...lines, ''].join('\n'));
  return deployersSchema.parse((doc.toJS() as { deployers: unknown }).deployers);
}

const command = [
  '  - kind: command',
  '    service: checkout',
  '    deployCanary: [kubectl, set, image, "deploy/{{service}}-canary", "app=registry/{{service}}:{{version}}"]',
  '    promote: [kubectl, set, image, "deploy/{{service}}", "app=registry/{{service}}:{{toVersion}}"]',
  '    removeCanary: [kubectl, delete, deploy, "{{service}}-canary", --ignore-not-found]',
];

describe('deployers in factory.yaml', () => {
  it('reads one deployer of each kind, with their defaults', () => {
    const [commandDeployer, webhook, sample] = parse([
      ...command,
      '  - { kind: webhook, service: shop, url: "https://cd.example/hooks/{{service}}", tokenEnv: CD_TOKEN, secretEnv: CD_SECRET }',
      '  - { kind: sample, service: demo, versions: { "2.0.0": { latencyMs: 200 } } }',
    ]);
    expect(commandDeployer).toMatchObject({ kind: 'command', timeoutMs: 300_000, env: [], output: 'lines', maxOutputBytes: 65_536, health: { path: '/healthz', timeoutMs: 60_000 } });
    expect(webhook).toMatchObject({ kind: 'webhook', headers: {}, callbackTimeoutMs: 900_000, maxCallbackAgeMs: 300_000, baseline: false });
    expect(sample).toMatchObject({ kind: 'sample', host: '127.0.0.1', versions: { '2.0.0': { latencyMs: 200, jitterMs: 0, errorRate: 0 } } });
  });

  it('refuses an unknown placeholder at the argv element’s line and key path', () => {
    const lines = [...command];
    lines[4] = '    removeCanary:\n      - kubectl\n      - delete\n      - "{{servce}}-canary"';
    expect(problems(lines)).toEqual([
      'factory.yaml:9: deployers[0].removeCanary[2]: unknown placeholder {{servce}} in an argv element: expected one of {{service}}, {{upgrade}}, {{attempt}}, {{environment}}, {{fromVersion}}, {{toVersion}}, {{version}}, {{variant}}',
    ]);
  });

  it('refuses a shell string where an argv array belongs', () => {
    const lines = [...command];
    lines[3] = '    promote: "kubectl set image deploy/checkout app=registry/checkout:2"';
    expect(problems(lines)).toEqual(['factory.yaml:5: deployers[0].promote: Invalid input: expected array, received string']);
  });

  it('refuses a baseline that could not be removed, and a key of another kind', () => {
    expect(problems([...command, '    deployBaseline: [deploy-baseline, "{{version}}"]', '    secretEnv: CD_SECRET'])).toEqual([
      "factory.yaml:8: deployers[0].secretEnv: unknown key 'secretEnv'",
      'factory.yaml:2: deployers[0].removeBaseline: deployBaseline and removeBaseline come together: a baseline that is started must be removable',
    ]);
  });

  it('refuses a secret written into the webhook headers, and a URL that is not one', () => {
    expect(
      problems(['  - kind: webhook', '    service: shop', '    url: "cd.example/{{service}}"', '    secretEnv: CD_SECRET', '    headers: { Authorization: "Bearer abc" }']),
    ).toEqual([
      'factory.yaml:4: deployers[0].url: url must be an http(s) URL, e.g. http://{{service}}-canary.internal:8080',
      'factory.yaml:6: deployers[0].headers: set the Authorization token with tokenEnv, not in factory.yaml',
    ]);
  });

  it('refuses an unknown kind, listing the known ones, and two deployers for one service', () => {
    expect(problems(['  - { kind: argo, service: shop }'])).toEqual(['factory.yaml:2: deployers[0].kind: unknown deployer kind "argo": expected command, webhook, sample']);
    expect(problems(['  - { kind: sample, service: demo }', '  - { kind: sample, service: Demo }'])).toEqual(["factory.yaml:3: deployers[1].service: service 'Demo' already has a deployer: deployers[0]"]);
  });
});

describe('deploy placeholders', () => {
  it('fills each known placeholder and names the unknown ones', () => {
    const values = { service: 'checkout', upgrade: 'upg_1', attempt: '2', environment: '', fromVersion: '1.0', toVersion: '2.0', version: '2.0', variant: 'canary' };
    expect(fillPlaceholders('app={{ service }}:{{version}}#{{attempt}}', values)).toBe('app=checkout:2.0#2');
    expect(unknownPlaceholders('{{service}} {{image}} {{ tag }}')).toEqual(['image', 'tag']);
  });
});
