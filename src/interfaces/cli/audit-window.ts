/** `--from` / `--to` of `npm run audit -- --pg`: what they mean and what is refused. */
export interface AuditWindow {
  from: number;
  to: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A date (`2026-11-01`, midnight UTC) or a date-time with its zone (`2026-11-01T00:00:00+09:00`,
 * `...Z`). A date-time without a zone is refused rather than read in whatever zone the machine
 * is in.
 */
export function parseAuditInstant(flag: string, value: string): number {
  const ok = DATE.test(value) || DATE_TIME_WITH_ZONE.test(value);
  const instant = ok ? Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (Number.isNaN(instant) || !namesRealDate(instant, value))
    throw new Error(
      `${flag} ${value}: give a date (2026-11-01, UTC) or a date-time with its zone (2026-11-01T00:00:00+09:00)`,
    );
  return instant;
}

/** Whether `value` (parsed as `instant`) names a real date: Date.parse rolls 02-30 over to March. */
export const namesRealDate = (instant: number, value: string): boolean =>
  localDate(instant, value) === value.slice(0, 10);

/** The calendar date of `instant` in the zone `value` names. */
function localDate(instant: number, value: string): string {
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(value);
  const offsetMs = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000 : 0;
  return new Date(instant + offsetMs).toISOString().slice(0, 10);
}

/** The window `--pg` reconciles: `--from` included, `--to` excluded; both required, and only with `--pg`. */
export function auditWindow(
  pg: boolean | undefined,
  from: string | undefined,
  to: string | undefined,
): AuditWindow | undefined {
  if (!pg) {
    if (from !== undefined || to !== undefined) throw new Error('--from and --to go with --pg');
    return undefined;
  }
  if (from === undefined || to === undefined) throw new Error('--pg needs --from <date> and --to <date>');
  const window = { from: parseAuditInstant('--from', from), to: parseAuditInstant('--to', to) };
  if (window.from >= window.to) throw new Error(`--from ${from} is not before --to ${to}`);
  return window;
}

/**
 * `--pg` with its window, from the CLI's flags. A reconciliation covers every order of the window
 * (the PGs list by time, not by user), so it is refused with `--user` or `--order`.
 */
export function pgWindowOf(values: {
  pg?: boolean;
  from?: string;
  to?: string;
  user?: string;
  order?: string;
}): AuditWindow | undefined {
  const window = auditWindow(values.pg, values.from, values.to);
  if (window && (values.user !== undefined || values.order !== undefined))
    throw new Error('--pg reconciles every order in the window: it does not combine with --user or --order');
  return window;
}
