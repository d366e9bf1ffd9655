import { Scheduler } from '../../../src/application/jobs/scheduler';
import type { DueJobSource } from '../../../src/application/ports/due-job-source.port';

/** A settable clock that, like the sandbox clock, refuses to move backwards. */
class FakeClock {
  constructor(private current: number) {}
  now = (): number => this.current;
  set = (instant: number): void => {
    if (instant < this.current) throw new Error(`clock moved backwards: ${instant} < ${this.current}`);
    this.current = instant;
  };
}

interface World {
  clock: FakeClock;
  /** `name@instant` of every run, in order. */
  log: string[];
}

/** A job source with a list of due instants; running at `now` clears everything due by then. */
class ListSource implements DueJobSource {
  /** The clock's reading at each run. */
  readonly clockAtRuns: number[] = [];
  constructor(
    readonly name: string,
    private due: number[],
    private readonly world: World,
    private readonly onRun: (now: number) => void = () => undefined,
  ) {}
  add(instant: number): void {
    this.due.push(instant);
  }
  async nextDueAt(): Promise<number | null> {
    return this.due.length === 0 ? null : Math.min(...this.due);
  }
  async runDue(now: number): Promise<void> {
    this.world.log.push(`${this.name}@${now}`);
    this.clockAtRuns.push(this.world.clock.now());
    this.due = this.due.filter((d) => d > now);
    this.onRun(now);
  }
}

/** A source whose work never clears (a job that keeps failing quietly): always due at `at`. */
class StuckSource implements DueJobSource {
  constructor(
    readonly name: string,
    private readonly at: number,
    private readonly world: World,
  ) {}
  async nextDueAt(): Promise<number | null> {
    return this.at;
  }
  async runDue(now: number): Promise<void> {
    this.world.log.push(`${this.name}@${now}`);
  }
}

function setUp(start = 0) {
  const world: World = { clock: new FakeClock(start), log: [] };
  const errors: Array<[string, unknown]> = [];
  const scheduler = (sources: DueJobSource[], catchUp: () => Promise<void> = async () => undefined) =>
    new Scheduler(sources, world.clock, catchUp, (source, error) => errors.push([source, error]));
  return { world, errors, scheduler };
}

describe('Scheduler: moving the clock through due jobs', () => {
  it('runs each due job at its own instant, in time order, with the clock moved there', async () => {
    const { world, scheduler } = setUp();
    const a = new ListSource('A', [100, 300], world);
    const b = new ListSource('B', [200], world);

    await scheduler([a, b]).advanceTo(1_000, world.clock.set);

    expect(world.log).toEqual(['A@100', 'B@200', 'A@300']);
    expect(a.clockAtRuns).toEqual([100, 300]);
    expect(b.clockAtRuns).toEqual([200]);
    expect(world.clock.now()).toBe(1_000);
  });

  it('runs two sources due at the same instant at that instant', async () => {
    const { world, scheduler } = setUp();
    await scheduler([new ListSource('A', [100], world), new ListSource('B', [100], world)]).advanceTo(
      500,
      world.clock.set,
    );
    expect(world.log).toEqual(['A@100', 'B@100']);
  });

  it('never runs a job due after the target, and runs it on a later advance', async () => {
    const { world, scheduler } = setUp();
    const s = scheduler([new ListSource('A', [100, 500], world)]);

    await s.advanceTo(400, world.clock.set);
    expect(world.log).toEqual(['A@100']);
    expect(world.clock.now()).toBe(400);

    await s.advanceTo(600, world.clock.set);
    expect(world.log).toEqual(['A@100', 'A@500']);
  });

  it('runs a job due exactly at the target', async () => {
    const { world, scheduler } = setUp();
    await scheduler([new ListSource('A', [400], world)]).advanceTo(400, world.clock.set);
    expect(world.log).toEqual(['A@400']);
  });

  it('runs work that a job creates when it falls due within the same advance (after catching up)', async () => {
    const { world, scheduler } = setUp();
    const followUps: number[] = [];
    const b = new ListSource('B', [], world);
    // A's run appends an event; B only sees the work once the projections have caught up.
    const a = new ListSource('A', [100], world, (now) => followUps.push(now + 50));
    const catchUp = async () => {
      followUps.splice(0).forEach((at) => b.add(at));
    };

    await scheduler([a, b], catchUp).advanceTo(1_000, world.clock.set);

    expect(world.log).toEqual(['A@100', 'B@150']);
  });

  it('never moves the clock backwards: an earlier target leaves it, and overdue jobs run now', async () => {
    const { world, scheduler } = setUp(1_000);
    const a = new ListSource('A', [200], world);

    await scheduler([a]).advanceTo(500, world.clock.set);

    expect(world.clock.now()).toBe(1_000);
    expect(world.log).toEqual(['A@1000']);
  });

  /** The instant of each run in the log, for ordering checks. */
  const instants = (log: string[]) => log.map((entry) => Number(entry.split('@')[1]));

  it('retries a source that stays due a second later instead of looping at one instant', async () => {
    const { world, scheduler } = setUp();

    await scheduler([new StuckSource('S', 100, world)]).advanceTo(3_600, world.clock.set);

    expect(world.log.slice(0, 2)).toEqual(['S@100', 'S@1100']);
    // Each retry at a later instant than the one before: no spinning at one instant.
    const at = instants(world.log);
    at.slice(1).forEach((instant, i) => expect(instant).toBeGreaterThan(at[i]!));
    expect(world.clock.now()).toBe(3_600);
  });

  it('keeps running other sources in time order around a stuck one', async () => {
    const { world, scheduler } = setUp();
    await scheduler([new StuckSource('S', 100, world), new ListSource('B', [1_500], world)]).advanceTo(
      2_200,
      world.clock.set,
    );
    expect(world.log).toContain('B@1500');
    const at = instants(world.log);
    at.slice(1).forEach((instant, i) => expect(instant).toBeGreaterThanOrEqual(at[i]!));
  });

  it('finishes a long advance past a stuck source', async () => {
    const { world, scheduler } = setUp();
    await scheduler([new StuckSource('S', 0, world)]).advanceTo(24 * 3_600_000, world.clock.set);
    expect(world.clock.now()).toBe(24 * 3_600_000);
    // Bounded: never more than one run per second of clock time.
    expect(world.log.length).toBeLessThanOrEqual(24 * 3_600 + 1);
  });

  it("does not let a stuck source make other sources' jobs run late in a long advance", async () => {
    // E.g. a repair job that keeps failing while the sandbox clock is moved a day ahead: the
    // subscription expiry due at noon must still run at noon, not at the end of the day.
    const { world, scheduler } = setUp();
    const HOUR = 3_600_000;
    const b = new ListSource('B', [12 * HOUR], world);

    await scheduler([new StuckSource('S', 0, world), b]).advanceTo(24 * HOUR, world.clock.set);

    expect(world.log).toContain(`B@${12 * HOUR}`);
    expect(b.clockAtRuns).toEqual([12 * HOUR]);
  });

  it('reports a failing job and carries on with the others', async () => {
    const { world, errors, scheduler } = setUp();
    const failing: DueJobSource = {
      name: 'F',
      nextDueAt: async () => 100,
      runDue: async (now) => {
        world.log.push(`F@${now}`);
        throw new Error('PG down');
      },
    };

    await scheduler([failing, new ListSource('B', [100, 200], world)]).advanceTo(1_500, world.clock.set);

    expect(errors.map(([source, error]) => [source, (error as Error).message])).toContainEqual([
      'F',
      'PG down',
    ]);
    expect(world.log.slice(0, 4)).toEqual(['F@100', 'B@100', 'B@200', 'F@1100']);
  });

  it('runDue runs what is due at the current time and nothing later', async () => {
    const { world, scheduler } = setUp(250);
    const a = new ListSource('A', [100, 250, 300], world);

    await scheduler([a]).runDue();

    expect(world.log).toEqual(['A@250']);
    expect(world.clock.now()).toBe(250);
  });

  it('serialises concurrent advances, so the clock only moves forward', async () => {
    const { world, scheduler } = setUp();
    const s = scheduler([new ListSource('A', [100, 300], world)]);

    await Promise.all([s.advanceTo(200, world.clock.set), s.advanceTo(400, world.clock.set)]);

    expect(world.log).toEqual(['A@100', 'A@300']);
    expect(world.clock.now()).toBe(400);
  });
});
