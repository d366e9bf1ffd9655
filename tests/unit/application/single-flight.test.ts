import { SingleFlight } from '../../../src/application/event-sourcing/single-flight';

/** A promise you settle from outside, to hold work in progress. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlight: one execution at a time per key (C8 within a process)', () => {
  it('runs concurrent work on one key one after another, never overlapping', async () => {
    const flight = new SingleFlight();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const work = (i: number) => async () => {
      log.push(`start ${i}`);
      await gates[i]!.promise;
      log.push(`end ${i}`);
      return i;
    };

    const runs = [0, 1, 2].map((i) => flight.run('order:A', work(i)));
    await settle();
    expect(log).toEqual(['start 0']); // the others wait
    expect(flight.isRunning('order:A')).toBe(true);

    gates[0]!.resolve();
    await settle();
    expect(log).toEqual(['start 0', 'end 0', 'start 1']);

    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(flight.isRunning('order:A')).toBe(false);
  });

  it('never has two executions of one key in progress, under many concurrent callers', async () => {
    const flight = new SingleFlight();
    let inProgress = 0;
    let most = 0;
    const work = async () => {
      inProgress += 1;
      most = Math.max(most, inProgress);
      await settle();
      inProgress -= 1;
    };
    await Promise.all(Array.from({ length: 20 }, () => flight.run('order:A', work)));
    expect(most).toBe(1);
  });

  it('runs work on different keys in parallel', async () => {
    const flight = new SingleFlight();
    const log: string[] = [];
    const a = deferred();
    const b = deferred();

    const runA = flight.run('order:A', async () => {
      log.push('start A');
      await a.promise;
    });
    const runB = flight.run('order:B', async () => {
      log.push('start B');
      await b.promise;
    });
    await settle();
    expect(log).toEqual(['start A', 'start B']);

    b.resolve();
    await runB; // B finishes while A is still running
    expect(flight.isRunning('order:A')).toBe(true);
    a.resolve();
    await runA;
  });

  it('gives a failure to its own caller only, and the next waiting work still runs', async () => {
    const flight = new SingleFlight();
    const gate = deferred();
    const first = flight.run('order:A', async () => {
      await gate.promise;
      throw new Error('PG timeout');
    });
    const second = flight.run('order:A', async () => 'second ran');

    gate.resolve();
    await expect(first).rejects.toThrow('PG timeout');
    await expect(second).resolves.toBe('second ran');
    expect(flight.isRunning('order:A')).toBe(false);
  });

  it('returns each caller the result of its own work', async () => {
    const flight = new SingleFlight();
    const results = await Promise.all([
      flight.run('k', async () => 'one'),
      flight.run('k', async () => 'two'),
    ]);
    expect(results).toEqual(['one', 'two']);
  });
});
