import { describe, expect, it } from 'vitest';
import { mannWhitneySettingsSchema } from '../../../../config/sections/judges.js';
import { classify, cles, meanRatio } from './classifier.js';

// Kayenta's published classifier cases (kayenta-judge ClassifierSuite), same data and settings.
const around10a = [9.7767343120109462, 10.587071850477695, 7.8375506388901766, 9.3243326886113884, 8.3774505409784421, 8.9359264399606282, 8.2707663324728511, 9.7484308126716925, 11.623746715547156, 9.2753442679633942, 8.1538047749171518, 10.562020975754294, 13.498135575451835, 11.054419256110332, 6.9538903590055092, 12.521008342195479, 9.0216358603546443, 4.9234856699531662, 11.251360203607172, 11.598449508040337, 8.435232204668182, 11.110228516867279, 10.70063380164755, 8.9212773652115249, 10.086167067942661, 11.42107515483087, 9.3792347813644952, 7.7980320148552593, 10.62339807275746, 11.909642062063739];
const around10b = [11.1453586774086, 9.9618059885597017, 7.068574306369829, 7.3012661810483657, 9.7944630265656727, 9.6037918603687302, 6.1867793350339388, 12.345599159550174, 10.371891733859533, 8.6094300785016724, 9.913162673361084, 10.361375299003466, 14.206800387518818, 10.946153754753301, 10.215876627044048, 11.739760899484603, 10.907627468626439, 12.823353694464775, 8.1018609771732137, 8.4981616408804932, 12.113441374697231, 13.272210809932028, 10.114579381663297, 6.9463958767978067, 6.2105278541727778, 10.160401684903775, 8.3457712066455461, 8.383822063895833, 7.0020205070083765, 10.755757401808442];
const around20a = [20.878412601720026, 21.78550581191622, 19.70828084717019, 15.859946903461562, 19.510058772176841, 19.392005525270303, 22.926528314912101, 17.156530276709894, 18.655117916226171, 23.422607911610392, 24.055817684156644, 22.62689958516501, 21.979472967817678, 21.659318607218694, 20.067707574072426, 22.119570836305414, 16.44037132663307, 21.559622826341268, 21.000181443489218, 17.779369411412663, 17.806006358943584, 18.537200618386109, 20.555550300210797, 19.552928184468378, 21.771118944087092, 21.809622806176627, 20.961762909905271, 20.977571577503021, 19.106303205498794, 16.976918966987078];
const around20b = [20.758113589510348, 22.802059629464559, 20.612340363492208, 20.973274654749986, 23.469237330498622, 21.53133988954805, 21.767353687439805, 18.308050730374301, 19.062145167827566, 25.879498436001779, 18.982629726336128, 19.387920182269266, 18.995398251246982, 24.228420230932805, 20.050985172694688, 18.2340451091756, 17.870515494460435, 23.058103863806618, 18.400259567501134, 16.971352091177167, 19.467529066052151, 17.90465423342031, 17.553948617825831, 16.104611843907193, 24.38171081433039, 15.919294339922635, 20.479409626304697, 19.08307201492406, 17.455788050722866, 18.853826823235142];

const settings = (raw: object = {}) => mannWhitneySettingsSchema.parse({ tolerance: 0.1, confidence: 0.95, ...raw });
const label = (canary: number[], baseline: number[], raw: object = {}) => classify(canary, baseline, settings(raw));

describe("Mann-Whitney classifier: Kayenta's published cases", () => {
  it('pass, high and low with direction either', () => {
    expect(label(around10a, around10b).classification).toBe('pass');
    expect(label(around20a, around10b).classification).toBe('high');
    expect(label(around10a, around20b).classification).toBe('low');
  });

  it('direction: increase ignores a drop, decrease ignores a rise, each catches its own', () => {
    expect(label(around10a, around20b, { direction: 'increase' }).classification).toBe('pass');
    expect(label(around20a, around10b, { direction: 'decrease' }).classification).toBe('pass');
    const high = label(around20a, around10b, { direction: 'increase' });
    expect(high.classification).toBe('high');
    expect(high.critical).toBe(false);
    expect(label(around10a, around20b, { direction: 'decrease' }).classification).toBe('low');
  });

  const small = { canary: [20, 22, 21, 25, 30], baseline: [1, 2.2, 1.1, 2.5, 3] };
  it('critical effect size: critical high, critical low, high without critical, pass', () => {
    const criticalHigh = label(small.canary, small.baseline, { critical: true, effectSize: { criticalIncrease: 1.2, criticalDecrease: 1 } });
    expect([criticalHigh.classification, criticalHigh.critical]).toEqual(['high', true]);
    const criticalLow = label([2, 2, 2, 2, 3], [10, 20.2, 10.1, 20.5, 30], { critical: true, effectSize: { criticalIncrease: 1, criticalDecrease: 1.2 } });
    expect([criticalLow.classification, criticalLow.critical]).toEqual(['low', true]);
    const notCritical = label(small.canary, small.baseline, { critical: true, effectSize: { allowedIncrease: 5, criticalIncrease: 13 } });
    expect([notCritical.classification, notCritical.critical]).toEqual(['high', false]);
    const withinEffect = label(small.canary, small.baseline, { critical: true, effectSize: { allowedIncrease: 13, criticalIncrease: 15 } });
    expect([withinEffect.classification, withinEffect.critical]).toEqual(['pass', false]);
    const defaults = label(small.canary, small.baseline, { critical: true });
    expect([defaults.classification, defaults.critical]).toEqual(['high', true]);
  });

  it('ties: all tied passes, identical populations pass, majority ties pass', () => {
    expect(label([1, 1, 1], [1, 1], { direction: 'decrease' }).classification).toBe('pass');
    expect(label([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], { direction: 'decrease' }).classification).toBe('pass');
    expect(label([0, 1, 1, 1, 1], [1, 1, 1, 1, 1], { direction: 'decrease' }).classification).toBe('pass');
    expect(label([1, 1, 1, 1, 10], [1, 1, 1, 1, 1]).classification).toBe('pass');
  });

  it('tied ranks: two different constants are high, deterministically (no random noise)', () => {
    const tied = label([10, 10, 10, 10, 10], [1, 1, 1, 1, 1]);
    expect(tied.classification).toBe('high');
    expect(tied.ci).toEqual([9, 9]);
    expect(label([10, 10, 10, 10, 10], [0, 0, 0, 0, 0]).classification).toBe('high');
  });

  it('zero means: the mean ratio cannot be computed and is ignored', () => {
    const high = label([54.9, 54.5, 55.1, 55.6, 57.4], [0, 0, 0, 0, 0], { effectSize: { allowedDecrease: 0.8, allowedIncrease: 1.2 } });
    expect(high.classification).toBe('high');
    expect(high.meanRatio).toBeNull();
    expect(label([0, 0, 0, 0, 0], [54.9, 54.5, 55.1, 55.6, 57.4], { effectSize: { allowedDecrease: 0.8, allowedIncrease: 1.2 } }).classification).toBe('low');
    const critical = label([0.05000000074505806, 0.05000000074505806, 0.01666666753590107, 0.01666666753590107, 0.01666666753590107, 0.05000000074505806, 0.03333333507180214, 0.05000000260770321, 0.05000000260770321, 0.13333333656191826], new Array<number>(10).fill(0), {
      nan: 'replace',
      critical: true,
      effectSize: { criticalDecrease: 0.8, criticalIncrease: 1.2 },
    });
    expect([critical.classification, critical.critical]).toEqual(['high', true]);
    expect(label([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], { effectSize: { allowedDecrease: 0.8, allowedIncrease: 1.2 } }).classification).toBe('pass');
  });

  it('missing data: nodata, critical when the metric is, with a reason', () => {
    expect(label([], [1, 2, 3, 4, 5], { direction: 'decrease' }).classification).toBe('nodata');
    const critical = label([], [1, 2, 3, 4, 5], { critical: true });
    expect([critical.classification, critical.critical]).toEqual(['nodata', true]);
    expect(label([], [], { critical: true }).reason).toBe('no canary and baseline data');
  });

  it('CLES effect size gates high and low', () => {
    expect(label(around20a, around10b, { effectSize: { measure: 'cles', allowedDecrease: 0.2, allowedIncrease: 0.8 } }).classification).toBe('high');
    expect(label(around10a, around20b, { effectSize: { measure: 'cles', allowedDecrease: 0.2, allowedIncrease: 0.8 } }).classification).toBe('low');
  });

  it('a significant shift smaller than allowedIncrease is a pass', () => {
    const doubled = label(around20a, around10b, { effectSize: { allowedIncrease: 3 } });
    expect(doubled.meanRatio).toBeCloseTo(2.07, 2);
    expect(doubled.classification).toBe('pass');
  });
});

describe('Mann-Whitney classifier: where we differ from Kayenta, on purpose', () => {
  it('no data is nodata even with nan: replace (Kayenta passes it)', () => {
    expect(label([], [1, 2, 3, 4, 5], { nan: 'replace' }).classification).toBe('nodata');
  });

  it('mustHaveData on a non-critical metric: nodata_fail', () => {
    const result = label([], [1, 2, 3], { mustHaveData: true });
    expect([result.classification, result.critical]).toEqual(['nodata_fail', false]);
  });

  it('NaN samples are removed, or replaced by 0', () => {
    expect(label([Number.NaN, Number.NaN], [1, 2]).classification).toBe('nodata');
    const replaced = label([Number.NaN, Number.NaN, Number.NaN], [5, 6, 7], { nan: 'replace' });
    expect(replaced.counts.canary).toBe(3);
    expect(replaced.classification).toBe('low');
  });
});

describe('effect sizes', () => {
  it('mean ratio is canary mean over baseline mean, NaN when a mean is 0', () => {
    expect(meanRatio([2, 4], [1, 2])).toBe(2);
    expect(meanRatio([1], [0])).toBeNaN();
  });
  it('CLES counts ties as half', () => {
    expect(cles([2, 3], [1, 2])).toBe(0.875);
    expect(cles([1, 2], [1, 2])).toBe(0.5);
  });
});
