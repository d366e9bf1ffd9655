/**
 * Time in the domain is an epoch-millisecond number (`Instant`); events carry ISO-8601 strings.
 * Calendar arithmetic uses Asia/Seoul, which has had a fixed +09:00 offset (no DST) since 1988.
 */
export type Instant = number;
export type IsoTime = string;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
const SEOUL_OFFSET_MS = 9 * HOUR_MS;

export const toIso = (t: Instant): IsoTime => new Date(t).toISOString();
export const fromIso = (iso: IsoTime): Instant => Date.parse(iso);

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `months` calendar months after `anchor`, in Seoul local time, clamped to the month's end:
 * from Jan 31, 1 month is Feb 28 (29 in a leap year) and 2 months is Mar 31.
 * Always count from the anchor (never chain), so clamping never accumulates.
 */
export function addMonthsSeoul(anchor: Instant, months: number): Instant {
  const local = new Date(anchor + SEOUL_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(targetYear, targetMonth));
  const targetLocal = Date.UTC(
    targetYear,
    targetMonth,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return targetLocal - SEOUL_OFFSET_MS;
}
