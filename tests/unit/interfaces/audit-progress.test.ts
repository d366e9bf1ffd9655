import { PassThrough } from 'node:stream';
import { progressBars } from '../../../src/interfaces/cli/audit-progress';

/** A stream that says it is (or is not) a terminal, collecting what is written to it. */
function stream(isTTY: boolean): { out: NodeJS.WriteStream; written: () => string } {
  const chunks: string[] = [];
  const out = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  Object.assign(out, {
    isTTY,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { out, written: () => chunks.join('') };
}

describe("the audit's progress bars", () => {
  it('draws nothing when stderr is not a terminal', () => {
    expect(progressBars(stream(false).out)).toBeNull();
  });

  it('on a terminal, shows the history pass and then the read-model fold over global positions', async () => {
    const { out, written } = stream(true);
    const bars = progressBars(out)!;
    bars.history!(500, 1_000, 500);
    bars.history!(1_000, 1_000, 1_000);
    bars.readModels!(200, 400, 1_000);
    bars.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).toContain('history');
    expect(written()).toContain('read models');
    expect(written()).toContain('position 400/1000');
  });
});
