import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import { parseConfig } from './load.js';
import { starterConfig } from './starter.js';
import { catchUfError } from '../../test/helpers/errors.js';

describe('factory.yaml', () => {
  it('loads the starter file that uf init writes', () => {
    const config = parseConfig(starterConfig, 'factory.yaml');
    expect(config.name).toBe('my-factory');
    expect(config.environments).toEqual(['staging', 'production']);
    expect(config.policy.rollbackDrillMaxAgeDays).toBe(30);
  });

  it('reads the commented-out risk weights of the starter file when uncommented', () => {
    const config = parseConfig(starterConfig.replace('# risk:\n#   weights:', 'risk:\n  weights:'), 'factory.yaml');
    expect(config.risk.weights).toEqual({ exploitability: 65, blastRadius: 40, reversibility: 20, endOfLife: 10 });
    expect(config.intake.schedule).toBe('0 3 * * *');
  });

  it('refuses an invalid cron schedule, naming the key', () => {
    const error = catchUfError(() => parseConfig('version: 1\nintake:\n  schedule: "every day"\n', 'factory.yaml'));
    expect(error.location).toMatchObject({ line: 3, path: 'intake.schedule' });
    expect(error.message).toContain('cron expression');
  });

  it('fills defaults for a minimal file', () => {
    const config = parseConfig('version: 1\n', 'f.yaml');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(config.store.path).toBe('.uf/factory.db');
  });

  it('names file, line and key path of a wrong value', () => {
    const error = catchUfError(() => parseConfig('version: 1\nserver:\n  host: x\n  port: "eighty"\n', 'factory.yaml'));
    expect(error.code).toBe('config_invalid');
    expect(error.location).toMatchObject({ file: 'factory.yaml', line: 4, path: 'server.port' });
    expect(error.describe()).toMatch(/^factory\.yaml:4: server\.port: .*number/);
  });

  it('names the line of a bad item inside a list', () => {
    const text = 'version: 1\ninventories:\n  - service: a\n    environment: production\n    file: a.json\n  - service: b\n    file: x.json\n';
    const error = catchUfError(() => parseConfig(text, 'factory.yaml'));
    expect(error.location?.path).toBe('inventories[1].environment');
    expect(error.location?.line).toBe(6);
  });

  it('refuses unknown keys, naming each at its own line', () => {
    const error = catchUfError(() => parseConfig('version: 1\nstore:\n  path: a.db\n  paht: x\n  urll: y\n', 'factory.yaml'));
    expect(error.message).toContain("unknown key 'paht'");
    expect(error.location).toMatchObject({ line: 4, path: 'store.paht' });
    expect(error.describe().split('\n')).toEqual(["factory.yaml:4: store.paht: unknown key 'paht'", "factory.yaml:5: store.urll: unknown key 'urll'"]);
  });

  it('reports every problem of the file, each at its own line, not only the first', () => {
    const text = 'version: 1\nserver:\n  port: "eighty"\nenvironments: [staging, production]\ninventories:\n  - service: a\n    environment: prod\n    file: a.json\nnmae: x\n';
    const lines = catchUfError(() => parseConfig(text, 'factory.yaml')).describe().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^factory\.yaml:3: server\.port: /);
    expect(lines[1]).toBe("factory.yaml:9: nmae: unknown key 'nmae'");
  });

  it('refuses an inventory in an environment that is not listed, at the line of its environment key', () => {
    const text = 'version: 1\nenvironments: [staging, production]\ninventories:\n  - service: a\n    environment: prod\n    file: a.json\n';
    const error = catchUfError(() => parseConfig(text, 'factory.yaml'));
    expect(error.describe()).toBe("factory.yaml:5: inventories[0].environment: environment 'prod' is not listed under environments (staging, production)");
  });

  it('reports every YAML syntax error with its line', () => {
    const error = catchUfError(() => parseConfig('version: 1\nname: [a\nstore: {b\n', 'factory.yaml'));
    expect(error.describe().split('\n').length).toBeGreaterThanOrEqual(2);
  });

  it('reports malformed YAML with line and column', () => {
    const error = catchUfError(() => parseConfig('version: 1\nstore: [a, b\nname: x\n', 'factory.yaml'));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/invalid YAML/);
    expect(error.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses a missing or wrong version', () => {
    expect(catchUfError(() => parseConfig('name: x\n', 'f.yaml')).location?.path).toBe('version');
    expect(catchUfError(() => parseConfig('version: 2\n', 'f.yaml')).location?.path).toBe('version');
  });

  it('only ever throws UfError on random and truncated input', () => {
    const truncated = fc.nat({ max: starterConfig.length }).map((n) => starterConfig.slice(0, n));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), truncated), (text) => {
        try {
          parseConfig(text, 'f.yaml');
        } catch (error) {
          expect(error).toBeInstanceOf(UfError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
