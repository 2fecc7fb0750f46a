import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cisaCoordinatorTable } from './cisa-coordinator-table.js';
import { cisaDecisionRank, decideCisa } from './decide.js';
import { cisaDecisions, ssvcOrder, type SsvcInputs } from './types.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const ssvc = sharedData('ssvc');
const csvFile = ssvc.path('cisa_coordinator_2_0_3.csv');

/** Maps the CSV's spelling onto ours; anything unknown fails the test instead of being guessed. */
function pick<T extends string>(allowed: readonly T[], raw: string | undefined, where: string): T {
  const value = raw?.trim().replace(/ /g, '_');
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`${where}: unexpected value ${JSON.stringify(raw)}`);
  return found;
}

describe.skipIf(!ssvc.available)(`CISA coordinator table against the upstream CSV${ssvc.skipNote}`, () => {
  const lines = ssvc.available ? readFileSync(csvFile, 'utf8').trim().split(/\r?\n/) : [];
  const rows = lines.slice(1).map((line) => line.split(','));

  it('has the header we map from', () => {
    expect(lines[0]).toBe(
      'row,Exploitation v1.1.0,Automatable v2.0.0,Technical Impact v1.0.0,Mission and Well-Being Impact v1.0.0,CISA Levels v1.1.0 (cisa)',
    );
    expect(rows).toHaveLength(36);
  });

  it.each(rows.map((cells, index) => ({ index, cells })))('row $index: $cells', ({ index, cells }) => {
    const where = `${csvFile}:${index + 2}`;
    const inputs: SsvcInputs = {
      exploitation: pick(ssvcOrder.exploitation, cells[1], where),
      automatable: pick(ssvcOrder.automatable, cells[2], where),
      technicalImpact: pick(ssvcOrder.technicalImpact, cells[3], where),
      missionWellbeing: pick(ssvcOrder.missionWellbeing, cells[4], where),
    };
    expect(decideCisa(inputs)).toBe(pick(cisaDecisions, cells[5], where));
  });
});

describe('shipped CISA coordinator table', () => {
  const all: SsvcInputs[] = ssvcOrder.exploitation.flatMap((exploitation) =>
    ssvcOrder.automatable.flatMap((automatable) =>
      ssvcOrder.technicalImpact.flatMap((technicalImpact) =>
        ssvcOrder.missionWellbeing.map((missionWellbeing) => ({ exploitation, automatable, technicalImpact, missionWellbeing })),
      ),
    ),
  );

  it('covers each of the 36 input combinations exactly once', () => {
    const keys = cisaCoordinatorTable.map((row) => row.slice(0, 4).join('|'));
    expect(new Set(keys).size).toBe(36);
    expect(all.map((inputs) => decideCisa(inputs))).toHaveLength(36);
  });

  it('never becomes less urgent when any one input gets worse (what the risk score relies on)', () => {
    const rank = (inputs: SsvcInputs) => cisaDecisionRank(decideCisa(inputs));
    const points = Object.keys(ssvcOrder) as (keyof SsvcInputs)[];
    for (const inputs of all) {
      for (const point of points) {
        const order: readonly string[] = ssvcOrder[point];
        const next = order[order.indexOf(inputs[point]) + 1];
        if (next === undefined) continue;
        const worse = { ...inputs, [point]: next } as SsvcInputs;
        expect(rank(worse), `${JSON.stringify(inputs)} → ${point}=${next}`).toBeGreaterThanOrEqual(rank(inputs));
      }
    }
  });

  it('decides Log4Shell-like inputs act and unexploited low-impact ones track', () => {
    expect(decideCisa({ exploitation: 'active', automatable: 'yes', technicalImpact: 'total', missionWellbeing: 'high' })).toBe('act');
    expect(decideCisa({ exploitation: 'none', automatable: 'no', technicalImpact: 'partial', missionWellbeing: 'low' })).toBe('track');
  });
});
