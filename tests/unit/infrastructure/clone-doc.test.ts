import { cloneFrozen } from '../../../src/infrastructure/readmodels/clone-doc';

describe('cloneFrozen: deep frozen copies', () => {
  it('copies and freezes every level, leaving the original untouched and mutable', () => {
    const original = { id: 'o1', refunds: [{ amount: 100 }], nested: { at: 1 } };
    const copy = cloneFrozen(original);
    expect(copy).toEqual(original);
    expect(copy).not.toBe(original);
    expect(copy.refunds).not.toBe(original.refunds);
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.refunds) && Object.isFrozen(copy.refunds[0])).toBe(
      true,
    );
    original.refunds[0].amount = 5;
    expect(copy.refunds[0].amount).toBe(100);
  });

  it('still copies an object frozen elsewhere, whose members may not be frozen', () => {
    const inner = { amount: 1 };
    const shallow = Object.freeze({ inner });
    const copy = cloneFrozen({ shallow });
    expect(copy.shallow).not.toBe(shallow);
    inner.amount = 2;
    expect(copy.shallow.inner.amount).toBe(1);
    expect(Object.isFrozen(copy.shallow.inner)).toBe(true);
  });

  it('refuses values that are not JSON, such as a Date', () => {
    expect(() => cloneFrozen({ at: new Date(0) })).toThrow(TypeError);
  });
});
