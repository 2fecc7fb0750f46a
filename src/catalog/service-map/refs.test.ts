import { describe, expect, it } from 'vitest';
import { parseEntityRef } from './refs.js';

const componentDefaults = { kind: 'component', namespace: 'default' };

function refOf(text: string, defaults = componentDefaults): string {
  const parsed = parseEntityRef(text, defaults);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value.ref;
}

describe('entity refs', () => {
  it('normalises kind, namespace and name to the lower-case full form', () => {
    expect(refOf('Component:Payments')).toBe('component:default/payments');
    expect(refOf('component:default/payments')).toBe('component:default/payments');
    expect(refOf('COMPONENT:Default/PAYMENTS')).toBe('component:default/payments');
  });

  it('fills the kind and namespace the field implies', () => {
    const ownerInFinance = { kind: 'group', namespace: 'finance' };
    expect(refOf('ledger-team', ownerInFinance)).toBe('group:finance/ledger-team');
    expect(refOf('user:jane.doe', ownerInFinance)).toBe('user:finance/jane.doe');
    expect(refOf('default/platform', ownerInFinance)).toBe('group:default/platform');
  });

  it('reads a slash before the first colon as namespace/name, as Backstage does', () => {
    const parsed = parseEntityRef('ns/name:with-colon', componentDefaults);
    expect(parsed.ok).toBe(false);
  });

  it.each(['', ':payments', 'component:', 'component:/payments', 'component:default/', 'pay ments', 'x'.repeat(64), 'comp-onent:x'])(
    'refuses %j with a reason naming the ref',
    (text) => {
      const parsed = parseEntityRef(text, componentDefaults);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toContain(`'${text}'`);
    },
  );
});
