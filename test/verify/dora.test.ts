import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import type { Store } from '../../src/store/open.js';
import { doraReport } from '../../src/verify/dora/load.js';
import { recordIncidents } from '../../src/verify/incidents/service.js';
import { storeTargets } from '../helpers/stores.js';
import { seedDoraHistory } from './dora-history.js';

/**
 * The DORA fixture: every figure below is worked out by hand from the history in dora-history.ts.
 * Deployments in November 2026 (a deployment ends when it reaches 100% or is rolled back):
 *   U1#1 (11-02), U2#1 (rolled back 11-04), U2#2 (11-05), U3#1 (11-11), U4#1 (11-11), U5#1 (11-21) = 6.
 *   U6#1 reaches 100% on 12-01: outside the period.
 */
for (const target of storeTargets) {
  describe.skipIf(target.skip)(`DORA figures by hand (${target.dialect})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await target.open({ clock: fixedClock('2026-12-02T00:00:00Z') }));
      await seedDoraHistory(store);
      // One incident on search, 8h after U3's canary started and 2h after it reached 100%: linked to U3 by the 24h window.
      const [recorded] = await recordIncidents(
        { store, settings: { linkWindow: '24h', linkDependencies: true } },
        [{ source: 'pagerduty', externalId: 'PINC1', title: 'Search returns 500s', service: 'search', severity: 'sev2', startedAt: '2026-11-11T08:00:00.000Z', resolvedAt: '2026-11-11T11:00:00.000Z', changeRef: null }],
        'test',
      );
      expect(recorded!.incident.link).toMatchObject({ upgradeId: 'upg_u3', kind: 'service-window' });
    });
    afterAll(async () => cleanup?.());

    it('deployment frequency: 6 deployments / 30 days', async () => {
      const r = await doraReport(store, { period: '2026-11' });
      expect(r.deploymentFrequency).toMatchObject({ deployments: 6, numerator: 6, denominator: 30, reachedFullTraffic: 5 });
      expect(r.deploymentFrequency.perDay).toBeCloseTo(0.2); // 6 / 30
      expect(r.deploymentFrequency.perWeek).toBeCloseTo(1.4); // 6 * 7 / 30
      expect(r.deploymentFrequency.records.map((d) => d.deployment).sort()).toEqual(['upg_u1#1', 'upg_u2#1', 'upg_u2#2', 'upg_u3#1', 'upg_u4#1', 'upg_u5#1']);
    });

    it('change lead time: both medians, and which start the headline uses', async () => {
      const r = await doraReport(store, { period: '2026-11' });
      // Done deployments: U1#1, U2#2, U3#1, U4#1, U5#1 (U2#1 was rolled back).
      // From the change record (or the upgrade when it has none) to done:
      //   U1 change 11-01 12:00 -> 11-02 06:00 = 18h;  U2 upgrade 11-03 00:00 -> 11-05 10:00 = 58h;
      //   U3 change 11-10 00:00 -> 11-12 00:00 = 48h;  U4 upgrade 11-11 09:00 -> 10:30 = 1.5h;
      //   U5 upgrade 11-20 00:00 -> 11-22 00:00 = 48h.  Sorted 1.5, 18, 48, 48, 58: median 48h.
      expect(r.changeLeadTime.fromChangeCreated).toMatchObject({ medianHours: 48, numerator: 5, denominator: 5 });
      // Upstream release date known only for U1 (advisory published 10-31 00:00 -> done 11-02 06:00 = 54h).
      expect(r.changeLeadTime.fromUpstream).toMatchObject({ medianHours: 54, numerator: 1, denominator: 5 });
      // Not every deployment has an upstream date, so the headline starts at the change record.
      expect(r.changeLeadTime).toMatchObject({ headline: 'change-created', medianHours: 48 });
    });

    it('change fail rate: 2 failed deployments / 6 deployments', async () => {
      const r = await doraReport(store, { period: '2026-11' });
      // U2#1 was rolled back; U3#1 has the linked incident. U2#2 (the retry) is a deployment of its own that went well.
      expect(r.changeFailRate).toMatchObject({ numerator: 2, denominator: 6 });
      expect(r.changeFailRate.value).toBeCloseTo(2 / 6);
      expect(r.changeFailRate.records.map((d) => d.deployment).sort()).toEqual(['upg_u2#1', 'upg_u3#1']);
    });

    it('failed deployment recovery time: median of 1h and 3h', async () => {
      const r = await doraReport(store, { period: '2026-11' });
      // U2#1: failed at its last step (promote 11-04 01:00), recovered by the rollback at 02:00 = 1h.
      // U3#1: failed when the incident began (11-11 08:00), recovered when it was resolved (11:00) = 3h.
      // Median of 1 and 3 = 2h.
      const f = r.failedDeploymentRecoveryTime;
      expect(f).toMatchObject({ medianHours: 2, numerator: 2, denominator: 2, unrecovered: [] });
      expect(f.samples.map((s) => [s.deployment, s.hours]).sort()).toEqual([['upg_u2#1', 1], ['upg_u3#1', 3]]);
    });

    it('deployment rework rate: 1 emergency deployment made for an incident / 6', async () => {
      const r = await doraReport(store, { period: '2026-11' });
      // U4 is emergency and was created at 09:00 while the search incident (08:00..11:00) was open.
      expect(r.deploymentReworkRate).toMatchObject({ numerator: 1, denominator: 6 });
      expect(r.deploymentReworkRate.records[0]).toMatchObject({ deployment: 'upg_u4#1' });
    });

    it('per team and per service', async () => {
      // Team shop owns checkout: U1#1, U2#1, U2#2, U5#1 = 4 deployments, 1 failed (U2#1): 1/4.
      const shop = await doraReport(store, { period: '2026-11', team: 'shop' });
      expect(shop.deploymentFrequency.deployments).toBe(4);
      expect(shop.changeFailRate).toMatchObject({ numerator: 1, denominator: 4, value: 0.25 });
      expect(shop.deploymentReworkRate.numerator).toBe(0);
      // Service search: U3#1, U4#1 = 2; 1 failed; 1 rework.
      const search = await doraReport(store, { period: '2026-11', service: 'search' });
      expect(search.changeFailRate).toMatchObject({ numerator: 1, denominator: 2 });
      expect(search.deploymentReworkRate).toMatchObject({ numerator: 1, denominator: 2 });
      // The whole quarter adds U6#1 (December): 7 deployments over 92 days.
      const quarter = await doraReport(store, { period: '2026-Q4' });
      expect(quarter.deploymentFrequency).toMatchObject({ deployments: 7, days: 92 });
    });
  });
}
