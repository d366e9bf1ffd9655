import { auditWindow, pgWindowOf } from '../../../src/interfaces/cli/audit-window';

/** `npm run audit -- --pg --from --to`: what the dates mean, and what is refused. */
describe('the audit window (--pg --from --to)', () => {
  it('reads a date as midnight UTC and a date-time in its own zone; --to is the excluded end', () => {
    expect(auditWindow(true, '2026-11-01', '2026-11-02')).toEqual({
      from: Date.parse('2026-11-01T00:00:00Z'),
      to: Date.parse('2026-11-02T00:00:00Z'),
    });
    expect(auditWindow(true, '2026-11-01T00:00:00+09:00', '2026-11-01T12:30Z')).toEqual({
      from: Date.parse('2026-10-31T15:00:00Z'),
      to: Date.parse('2026-11-01T12:30:00Z'),
    });
  });

  it('is nothing without --pg, and refuses --from or --to given alone', () => {
    expect(auditWindow(undefined, undefined, undefined)).toBeUndefined();
    expect(() => auditWindow(undefined, '2026-11-01', undefined)).toThrow('--from and --to go with --pg');
    expect(() => auditWindow(true, '2026-11-01', undefined)).toThrow(
      '--pg needs --from <date> and --to <date>',
    );
  });

  it('refuses a date-time without a zone, a date that is not one, and an empty or reversed window', () => {
    expect(() => auditWindow(true, '2026-11-01T00:00:00', '2026-11-02')).toThrow(/with its zone/);
    expect(() => auditWindow(true, '2026-13-45', '2026-11-02')).toThrow(/--from 2026-13-45/);
    expect(() => auditWindow(true, 'yesterday', '2026-11-02')).toThrow(/--from yesterday/);
    expect(() => auditWindow(true, '2026-02-01', '2026-02-30')).toThrow(/--to 2026-02-30/);
    expect(() => auditWindow(true, '2026-02-01', '2026-02-30T23:00:00-05:00')).toThrow(/--to 2026-02-30/);
    expect(auditWindow(true, '2026-02-28T23:00:00-05:00', '2026-03-02')?.from).toBe(
      Date.parse('2026-03-01T04:00:00Z'),
    );
    expect(() => auditWindow(true, '2026-11-02', '2026-11-02')).toThrow('is not before --to');
    expect(() => auditWindow(true, '2026-11-03', '2026-11-02')).toThrow('is not before --to');
  });

  it('does not reconcile one user or one order: the PGs list by time', () => {
    const window = { pg: true, from: '2026-11-01', to: '2026-11-02' };
    expect(pgWindowOf(window)).toEqual(auditWindow(true, '2026-11-01', '2026-11-02'));
    expect(() => pgWindowOf({ ...window, user: 'alice' })).toThrow('does not combine with --user or --order');
    expect(() => pgWindowOf({ ...window, order: 'o-1' })).toThrow('does not combine with --user or --order');
    expect(pgWindowOf({ user: 'alice' })).toBeUndefined();
  });
});
