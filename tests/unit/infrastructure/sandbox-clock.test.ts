import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxClock } from '../../../src/infrastructure/clock/sandbox-clock';

const HOUR = 3_600_000;

describe('SandboxClock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'll-clock-'));
    file = path.join(dir, 'sandbox-clock.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('follows wall time until it is moved', () => {
    const before = Date.now();
    const now = new SandboxClock(file).now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('moves forward to an instant and keeps running from there', () => {
    const clock = new SandboxClock(file);
    const target = clock.now() + 5 * HOUR;
    clock.moveForwardTo(target);
    expect(clock.now()).toBeGreaterThanOrEqual(target);
    expect(clock.now()).toBeLessThan(target + HOUR);
  });

  it('never moves backwards: an instant already passed changes nothing', () => {
    const clock = new SandboxClock(file);
    clock.moveForwardTo(clock.now() + 2 * HOUR);
    const ahead = clock.now();
    clock.moveForwardTo(ahead - HOUR);
    expect(clock.now()).toBeGreaterThanOrEqual(ahead);
  });

  it('keeps its position across a restart (a new instance on the same file)', () => {
    const first = new SandboxClock(file);
    first.moveForwardTo(first.now() + 24 * HOUR);
    const moved = first.now();
    const second = new SandboxClock(file);
    expect(second.now()).toBeGreaterThanOrEqual(moved);
    expect(second.now()).toBeLessThan(moved + HOUR);
  });

  it('starts at wall time when the file is missing or unreadable', () => {
    const clock = new SandboxClock(path.join(dir, 'missing', 'clock.json'));
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(HOUR);
  });
});
