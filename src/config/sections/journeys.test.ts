import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import { parseConfig } from '../load.js';

const file = (...lines: string[]) => ['version: 1', 'journeys:', ...lines, ''].join('\n');
const checkout = [
  '  - name: checkout',
  '    service: shop',
  '    thresholds:',
  '      http_req_duration: ["p(95)<300", { threshold: "max<1000", abortOnFail: true }]',
  '      checks: ["rate==1"]',
  '    steps:',
  '      - { name: login, method: POST, url: /login, body: { user: probe }, capture: { token: $.token, session: "header:x-session" } }',
  '      - url: /orders/1',
  '        headers: { authorization: "Bearer ${token}" }',
  '        expect: { status: [200, 203], bodyContains: paid, json: [{ path: $.order.id, equals: "1" }], maxLatency: 300ms }',
  '      - { kind: browser, action: goto, url: / }',
  '      - { kind: browser, action: fill, selector: "#name", value: probe }',
];

describe('journeys: in factory.yaml', () => {
  it('reads HTTP and browser steps, k6 thresholds in both forms, and fills in the defaults', () => {
    const [journey] = parseConfig(file(...checkout), 'factory.yaml').journeys;
    expect(journey).toMatchObject({ name: 'checkout', service: 'shop', iterations: 1, browser: { executablePath: '/usr/bin/chromium' } });
    expect(journey!.thresholds.http_req_duration).toEqual([
      { threshold: 'p(95)<300', abortOnFail: false },
      { threshold: 'max<1000', abortOnFail: true },
    ]);
    expect(journey!.steps[0]).toMatchObject({ kind: 'http', method: 'POST', timeout: 10_000, retries: 0, expect: { json: [] } });
    expect(journey!.steps[1]).toMatchObject({ kind: 'http', method: 'GET', expect: { status: [200, 203], bodyContains: ['paid'], maxLatency: 300 } });
    expect(journey!.steps[3]).toEqual({ kind: 'browser', action: 'fill', selector: '#name', value: 'probe', timeout: 15_000 });
    expect(parseConfig('version: 1\n', 'factory.yaml').journeys).toEqual([]);
  });

  it('refuses a threshold outside k6’s grammar, or one its metric does not offer, at its key path', () => {
    const bad = checkout.map((line) => line.replace('"p(95)<300"', '"p95 < 300"').replace('["rate==1"]', '["p(95)<1"]'));
    expect(catchUfError(() => parseConfig(file(...bad), 'factory.yaml')).describe().split('\n')).toEqual([
      "factory.yaml:6: journeys[0].thresholds.http_req_duration[0]: threshold 'p95 < 300' is not a k6 threshold: expected `aggregation operator value`, such as p(95)<200, rate<0.01 or count>=100",
      "factory.yaml:7: journeys[0].thresholds.checks[0]: checks 'p(95)<1': p(95) does not apply to checks, a rate metric (it offers rate)",
    ]);
  });

  it('refuses a bad step at its own key path: a bad capture source, an unknown browser action', () => {
    const bad = [...checkout];
    bad[6] = '      - { name: login, method: POST, url: /login, capture: { token: token } }';
    bad[10] = '      - { kind: browser, action: hover, selector: "#x" }';
    expect(catchUfError(() => parseConfig(file(...bad), 'factory.yaml')).describe().split('\n')).toEqual([
      'factory.yaml:9: journeys[0].steps[0].capture.token: a capture is a JSON path ($.order.id) or header:NAME; a JSON path starts with $',
      "factory.yaml:13: journeys[0].steps[2].action: Invalid discriminator value. Expected 'goto' | 'click' | 'fill' | 'expectText'",
    ]);
  });

  it('refuses a ${name} that no earlier step captures, at the field that uses it', () => {
    const bad = [...checkout];
    bad[8] = '        headers: { authorization: "Bearer ${tokn}" }';
    expect(catchUfError(() => parseConfig(file(...bad), 'factory.yaml')).describe()).toBe(
      'factory.yaml:11: journeys[0].steps[1].headers.authorization: ${tokn} is not captured by an earlier step (captured so far: token, session)',
    );
  });

  it('refuses a journey named twice and a missing step list', () => {
    const twice = catchUfError(() => parseConfig(file(...checkout, ...checkout), 'factory.yaml'));
    expect(twice.describe()).toContain("journeys[1].name: journey 'checkout' is defined twice");
    const empty = catchUfError(() => parseConfig(file('  - { name: empty, service: shop, steps: [] }'), 'factory.yaml'));
    expect(empty.describe()).toBe('factory.yaml:3: journeys[0].steps: a journey has at least one step');
  });

  it('lets a rollout analysis measure a journey, and refuses one that names no configured journey at its key path', () => {
    const analysis = (journey: string) => [
      'rollout:',
      '  analyses:',
      '    journeys:',
      '      metrics:',
      `        - { name: checkout_journey, source: { kind: journey, journey: ${journey}, url: "http://127.0.0.1:8080", force: { kind: header, name: x-uf-canary, value: always } } }`,
      '      judge: { kind: threshold, checks: [{ metric: checkout_journey, min: 1 }] }',
      '  defaults: { analysis: journeys }',
    ];
    const config = parseConfig([...file(...checkout).trimEnd().split('\n'), ...analysis('checkout'), ''].join('\n'), 'factory.yaml');
    expect(config.rollout.analyses.journeys!.metrics[0]!.source).toEqual({
      kind: 'journey',
      journey: 'checkout',
      url: 'http://127.0.0.1:8080',
      force: { kind: 'header', name: 'x-uf-canary', value: 'always' },
      urls: {},
      timeoutMs: 5_000,
    });
    const error = catchUfError(() => parseConfig([...file(...checkout).trimEnd().split('\n'), ...analysis('checkot'), ''].join('\n'), 'factory.yaml'));
    expect(error.describe()).toBe("factory.yaml:19: rollout.analyses.journeys.metrics[0].source.journey: journey 'checkot' is not defined (journeys: checkout)");
  });
});
