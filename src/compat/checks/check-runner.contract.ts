import { describe, expect, it } from 'vitest';
import { cellStatuses, type CheckOutcome, type CheckRequest, type CheckRunner, type Consumer } from '../types.js';

/**
 * The shared contract every `CheckRunner` passes. An implementation's test calls
 * `checkRunnerContract` with a way to build its runner and three requests of its own kind:
 * one that passes, one that fails, and one whose input is bad (a missing file, an unreadable
 * manifest, a command that does not exist). The contract asserts what the matrix relies on:
 *   - every outcome has a known status and a one-line summary, and is plain JSON;
 *   - bad input is an `error` outcome naming what was wrong, never a thrown exception;
 *   - a request whose signal is already aborted settles promptly and is never a `pass`.
 */
export interface CheckRunnerContractCases<Spec> {
  /** The runner under test, built fresh for each case. */
  create(): CheckRunner<Spec>;
  passing(): CheckRequest<Spec> | Promise<CheckRequest<Spec>>;
  failing(): CheckRequest<Spec> | Promise<CheckRequest<Spec>>;
  /** Bad input; `mentions` is a word the error summary must contain (the file or field at fault). */
  broken(): { request: CheckRequest<Spec>; mentions: string } | Promise<{ request: CheckRequest<Spec>; mentions: string }>;
  /** Per-case limit for slow kinds (load probes, commands); 10 s when absent. */
  timeoutMs?: number;
}

/** A service row for contract cases. */
export function contractConsumer(service = 'checkout', manifests: string[] = []): Consumer {
  return { id: service, kind: 'service', service, name: service, manifests, source: 'service map' };
}

function expectWellFormed(outcome: CheckOutcome): void {
  expect(cellStatuses).toContain(outcome.status);
  expect(outcome.summary.trim().length).toBeGreaterThan(0);
  expect(outcome.summary).not.toContain('\n');
  expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
}

export function checkRunnerContract<Spec>(name: string, cases: CheckRunnerContractCases<Spec>): void {
  const timeout = cases.timeoutMs ?? 10_000;
  describe(`CheckRunner contract: ${name}`, () => {
    it('passes a compatible consumer', async () => {
      const outcome = await cases.create().run(await cases.passing());
      expectWellFormed(outcome);
      expect(outcome.status, outcome.summary).toBe('pass');
    }, timeout);

    it('fails an incompatible consumer, saying why', async () => {
      const outcome = await cases.create().run(await cases.failing());
      expectWellFormed(outcome);
      expect(outcome.status, outcome.summary).toBe('fail');
    }, timeout);

    it('answers bad input with an error cell naming what was wrong, never a throw', async () => {
      const { request, mentions } = await cases.broken();
      const outcome = await cases.create().run(request);
      expectWellFormed(outcome);
      expect(outcome.status).toBe('error');
      expect(outcome.summary).toContain(mentions);
    }, timeout);

    it('settles promptly and never passes when its signal is already aborted', async () => {
      const request = await cases.passing();
      const controller = new AbortController();
      controller.abort(new Error('lease lost'));
      const started = performance.now();
      const outcome = await cases.create().run({ ...request, signal: controller.signal });
      expectWellFormed(outcome);
      expect(outcome.status).not.toBe('pass');
      expect(performance.now() - started).toBeLessThan(5_000);
    }, timeout);
  });
}
