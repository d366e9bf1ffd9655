import { differingFields } from '../../../src/application/audit/doc-diff';

describe('the fields in which two read-model documents differ', () => {
  it('names nothing for documents equal up to key order and undefined members', () => {
    expect(differingFields({ a: 1, b: { c: [1, 2] }, d: undefined }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('names each differing leaf by its path', () => {
    const expected = { status: 'PAID', payment: { refunds: [{ amount: 100 }, { amount: 50 }] } };
    const actual = { status: 'PENDING', payment: { refunds: [{ amount: 100 }, { amount: 70 }] } };
    expect(differingFields(expected, actual)).toEqual(['payment.refunds.1.amount', 'status']);
  });

  it('names a member present on one side only, null included', () => {
    expect(differingFields({ a: null }, {})).toEqual(['a']);
    expect(differingFields({ a: [1] }, { a: [1, 2] })).toEqual(['a.1']);
  });
});
