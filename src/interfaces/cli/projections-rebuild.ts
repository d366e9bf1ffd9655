import 'reflect-metadata';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadSettings, rebuildProjections, type RebuildProgress } from '../../infrastructure/composition';

/** Exit codes: 0 rebuilt and switched, 1 a build disagreed (not switched), 2 could not run. */
const DONE = 0;
const DISAGREED = 1;
const COULD_NOT_RUN = 2;

const USAGE = `Usage: npm run projections:rebuild -- [--stale-after <seconds>] [name...]

Builds the named projections or projection groups (none: all of them) again from the event
store, beside the live read models, and switches to the new build once it has caught up and its
document counts agree with the live one's; the old build is then dropped. When the service is
running on DATA_DIR it does the rebuild itself (asked through DATA_DIR) and keeps serving from
the live build meanwhile (the command gives up, exit 2, when the service has not reported on the
rebuild for --stale-after seconds, 30 by default); otherwise this command does it. A progress bar
shows on a terminal. Exit code: 0 switched, 1 a new build disagreed and was not switched, 2 could not run.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { help: { type: 'boolean' }, 'stale-after': { type: 'string' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return DONE;
  }
  const staleAfter = values['stale-after'] === undefined ? undefined : Number(values['stale-after']);
  if (staleAfter !== undefined && !(Number.isFinite(staleAfter) && staleAfter > 0)) {
    throw new Error(`--stale-after must be a positive number of seconds, not ${values['stale-after']}`);
  }
  const terminal = process.stderr.isTTY === true;
  const bar = terminal
    ? new cliProgress.SingleBar(
        { format: 'rebuilding {groups} [{bar}] {percentage}% | {value}/{total} events', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  const onProgress = ({ groups, position, head }: RebuildProgress) => {
    if (bar === null) return;
    const what = groups.length > 2 ? `${groups.length} projection groups` : groups.join(', ');
    if (!started) bar.start(head, position, { groups: what });
    else bar.setTotal(head);
    started = true;
    bar.update(position);
  };
  try {
    const outcome = await rebuildProjections(loadSettings(process.env), positionals, {
      onProgress,
      staleAfterMs: staleAfter === undefined ? undefined : staleAfter * 1_000,
    });
    bar?.stop();
    const where = outcome.by === 'service' ? 'by the running service' : 'with the service stopped';
    console.log(`rebuilt ${outcome.groups.join(', ')} (${where})`);
    for (const disagreement of outcome.disagreements) console.log(`not switched: ${disagreement}`);
    return outcome.disagreements.length === 0 ? DONE : DISAGREED;
  } finally {
    bar?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `projections:rebuild could not run: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(COULD_NOT_RUN);
  },
);
