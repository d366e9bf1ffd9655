import type { RecordedEvent } from '../../../src/application/ports/event-store.port';
import { RecentEvents } from '../../../src/infrastructure/eventstore/sqlite/recent-events';

const at = (globalPosition: number): RecordedEvent => ({
  globalPosition,
  streamId: `s-${globalPosition}`,
  revision: 0,
  type: 'T',
  data: { n: globalPosition },
  metadata: {
    eventId: `e-${globalPosition}`,
    correlationId: 'c',
    causationId: 'c',
    actor: { kind: 'system', process: 'test' },
    recordedAt: '2026-01-01T00:00:00.000Z',
    prevHash: '',
    hash: 'h',
  },
});
const positions = (events: RecordedEvent[]) => events.map((e) => e.globalPosition);

describe('RecentEvents', () => {
  it('answers the unbroken run after a position, up to the limit', () => {
    const recent = new RecentEvents();
    [1, 2, 3, 5].forEach((p) => recent.add(at(p)));
    expect(positions(recent.after(0, 10))).toEqual([1, 2, 3]);
    expect(positions(recent.after(1, 1))).toEqual([2]);
    expect(positions(recent.after(3, 10))).toEqual([]);
    expect(positions(recent.after(4, 10))).toEqual([5]);
    expect(positions(recent.after(5, 10))).toEqual([]);
    expect(recent.after(0, 0)).toEqual([]);
  });

  it('forgets the oldest events past its capacity', () => {
    const recent = new RecentEvents(3);
    [1, 2, 3, 4, 5].forEach((p) => recent.add(at(p)));
    expect(positions(recent.after(0, 10))).toEqual([]);
    expect(positions(recent.after(2, 10))).toEqual([3, 4, 5]);
  });

  it('freezes what it holds, at every level', () => {
    const recent = new RecentEvents();
    const event = at(1);
    recent.add(event);
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.data)).toBe(true);
    expect(Object.isFrozen(event.metadata.actor)).toBe(true);
  });
});
