import { Presets, SingleBar } from 'cli-progress';
import type { ReportProgress } from '../../application/audit/audit-reports';

export interface ProgressBars extends ReportProgress {
  /** Clears the bar once the audit is done (or failed). */
  stop(): void;
}

/**
 * The audit's progress on a terminal: one bar for the history pass, then one for the read-model
 * fold, over global positions. Only when stderr is a TTY: a pipe, a file or CI gets nothing.
 */
export function progressBars(stream: NodeJS.WriteStream = process.stderr): ProgressBars | null {
  if (!stream.isTTY) return null;
  let bar: SingleBar | null = null;
  let phase = '';
  const show = (label: string, events: number, position: number, total: number) => {
    if (phase !== label) {
      bar?.stop();
      bar = new SingleBar(
        {
          stream,
          format: `${label} [{bar}] {percentage}% | {events} events | position {value}/{total} | {eta_formatted}`,
          clearOnComplete: true,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { events: 0 });
      phase = label;
    }
    bar?.update(position, { events });
  };
  return {
    history: (events, head, position) => show('history    ', events, position, head),
    readModels: (events, position, target) => show('read models', events, position, target),
    stop: () => bar?.stop(),
  };
}
