import { AuditUsageError, ruleOptionsOf } from '../../../src/interfaces/cli/audit-scope-options';

describe('npm run audit --as-of', () => {
  it('refuses a date that does not exist instead of auditing days later (Date.parse rolls 02-30 over)', () => {
    expect(() => ruleOptionsOf({ 'as-of': '2026-02-30' })).toThrow(AuditUsageError);
    expect(() => ruleOptionsOf({ 'as-of': '2026-04-31T12:00:00+09:00' })).toThrow('--as-of 2026-04-31');
  });

  it('takes a real date or a time with its offset', () => {
    expect(ruleOptionsOf({ 'as-of': '2026-02-28' }).asOf).toBe('2026-02-28T00:00:00.000Z');
    expect(ruleOptionsOf({ 'as-of': '2026-03-01T00:30:00+09:00' }).asOf).toBe('2026-02-28T15:30:00.000Z');
  });
});

describe('npm run audit --user / --order', () => {
  it('takes the ids the HTTP API takes, and refuses the ones it refuses', () => {
    expect(ruleOptionsOf({ user: 'alice@example.com' }).userId).toBe('alice@example.com');
    expect(ruleOptionsOf({ order: 'ord_2026-03-01_abc' }).orderId).toBe('ord_2026-03-01_abc');
    // The CLI's own pattern took these; the API refuses them (a leading dot, an order id too short or with ":").
    expect(() => ruleOptionsOf({ user: '.alice' })).toThrow('not a user id');
    expect(() => ruleOptionsOf({ order: 'ord1' })).toThrow('not an order id');
    expect(() => ruleOptionsOf({ order: 'toss:ord_123456' })).toThrow('not an order id');
  });
});
