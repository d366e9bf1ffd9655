import { addMonthsSeoul } from '../../../src/domain/shared/time';

const kst = (local: string): number => Date.parse(`${local}+09:00`);

describe('addMonthsSeoul (S4: Seoul calendar, clamped, counted from the anchor)', () => {
  it('clamps Jan 31 + 1 month to Feb 28 in a common year', () => {
    expect(addMonthsSeoul(kst('2023-01-31T10:00'), 1)).toBe(kst('2023-02-28T10:00'));
  });

  it('clamps Jan 31 + 1 month to Feb 29 in a leap year', () => {
    expect(addMonthsSeoul(kst('2024-01-31T10:00'), 1)).toBe(kst('2024-02-29T10:00'));
  });

  it('counts 2 months from a Jan 31 anchor to Mar 31, not Mar 28', () => {
    expect(addMonthsSeoul(kst('2023-01-31T10:00'), 2)).toBe(kst('2023-03-31T10:00'));
    expect(addMonthsSeoul(kst('2024-01-31T10:00'), 2)).toBe(kst('2024-03-31T10:00'));
  });

  it('would lose days if chained, which is why periods count from the anchor', () => {
    const chained = addMonthsSeoul(addMonthsSeoul(kst('2023-01-31T10:00'), 1), 1);
    expect(chained).toBe(kst('2023-03-28T10:00'));
  });

  it('clamps to 30-day months (Mar 31 + 1 = Apr 30)', () => {
    expect(addMonthsSeoul(kst('2024-03-31T10:00'), 1)).toBe(kst('2024-04-30T10:00'));
  });

  it('rolls over into the next year', () => {
    expect(addMonthsSeoul(kst('2024-12-15T10:00'), 1)).toBe(kst('2025-01-15T10:00'));
    expect(addMonthsSeoul(kst('2024-11-30T10:00'), 3)).toBe(kst('2025-02-28T10:00'));
    expect(addMonthsSeoul(kst('2024-01-31T10:00'), 13)).toBe(kst('2025-02-28T10:00'));
  });

  it('adds 12 months to the same day next year, and 0 months to itself', () => {
    expect(addMonthsSeoul(kst('2023-07-04T08:30'), 12)).toBe(kst('2024-07-04T08:30'));
    expect(addMonthsSeoul(kst('2023-07-04T08:30'), 0)).toBe(kst('2023-07-04T08:30'));
  });

  it('keeps the Seoul time of day to the millisecond', () => {
    expect(addMonthsSeoul(kst('2024-05-10T23:59:59.999'), 1)).toBe(kst('2024-06-10T23:59:59.999'));
    expect(addMonthsSeoul(kst('2024-05-10T00:00:00.000'), 1)).toBe(kst('2024-06-10T00:00:00.000'));
  });

  it('uses the Seoul calendar day when it differs from the UTC day (Jan 31 KST is Jan 30 UTC)', () => {
    const anchor = Date.parse('2024-01-30T16:00:00Z'); // 2024-01-31 01:00 in Seoul
    expect(addMonthsSeoul(anchor, 1)).toBe(Date.parse('2024-02-28T16:00:00Z')); // Feb 29 01:00 KST
  });

  it('uses the Seoul month when it differs from the UTC month (Mar 1 KST is Feb 29 UTC)', () => {
    const anchor = Date.parse('2024-02-29T15:00:00Z'); // 2024-03-01 00:00 in Seoul
    expect(addMonthsSeoul(anchor, 1)).toBe(Date.parse('2024-03-31T15:00:00Z')); // Apr 1 00:00 KST
  });
});
