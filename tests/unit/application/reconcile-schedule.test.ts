import { nextCheckAt, RECONCILE_OFFSETS_MS } from '../../../src/application/jobs/reconcile-schedule';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const START = Date.parse('2024-03-01T10:00:00+09:00');

/** The first `n` check instants, each computed from the previous check, as offsets from START. */
function schedule(n: number): number[] {
  const offsets: number[] = [];
  let last: number | undefined;
  for (let i = 0; i < n; i++) {
    last = nextCheckAt(START, last);
    offsets.push(last - START);
  }
  return offsets;
}

describe('reconcile schedule: when the PG is asked again about an unknown outcome (C6)', () => {
  it('asks first 15 seconds after the outcome became unknown', () => {
    expect(nextCheckAt(START, undefined)).toBe(START + 15 * S);
  });

  it('backs off 15s, 30s, 1m, 2m, 5m, 10m, 15m, 30m, 1h, then every hour', () => {
    expect(schedule(12)).toEqual([
      15 * S,
      30 * S,
      M,
      2 * M,
      5 * M,
      10 * M,
      15 * M,
      30 * M,
      H,
      2 * H,
      3 * H,
      4 * H,
    ]);
  });

  it('exposes the same offsets it schedules by', () => {
    expect(RECONCILE_OFFSETS_MS).toEqual([15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H]);
  });

  it('after a check made between two scheduled instants, picks the next scheduled one', () => {
    expect(nextCheckAt(START, START + 20 * S)).toBe(START + 30 * S);
    expect(nextCheckAt(START, START + 3 * M)).toBe(START + 5 * M);
  });

  it('after a check exactly at a scheduled instant, moves on to the following one', () => {
    expect(nextCheckAt(START, START + 30 * S)).toBe(START + M);
  });

  it('stays hourly after the backoff table, aligned to the hour after the first hour', () => {
    expect(nextCheckAt(START, START + H)).toBe(START + 2 * H);
    expect(nextCheckAt(START, START + H + 1)).toBe(START + 2 * H);
    expect(nextCheckAt(START, START + 5 * H + 30 * M)).toBe(START + 6 * H);
    expect(nextCheckAt(START, START + 48 * H)).toBe(START + 49 * H);
  });

  it('always schedules strictly after the last check, so the reconciler never spins', () => {
    for (const last of [0, 1, 15 * S, 59 * M, H, 7 * H + 1]) {
      expect(nextCheckAt(START, START + last)).toBeGreaterThan(START + last);
    }
  });
});
