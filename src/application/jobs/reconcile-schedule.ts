const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** C6 backoff: offsets from the start of an unknown outcome at which the PG is asked again. */
export const RECONCILE_OFFSETS_MS: readonly number[] = [
  15 * SECOND,
  30 * SECOND,
  1 * MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  60 * MINUTE,
];
const THEN_EVERY_MS = 60 * MINUTE;

/** The first scheduled check after `lastCheckedAt` (or the first one at all). */
export function nextCheckAt(startedAt: number, lastCheckedAt: number | undefined): number {
  const after = lastCheckedAt ?? startedAt;
  for (const offset of RECONCILE_OFFSETS_MS) {
    if (startedAt + offset > after) return startedAt + offset;
  }
  const last = startedAt + (RECONCILE_OFFSETS_MS[RECONCILE_OFFSETS_MS.length - 1] ?? 0);
  return last + (Math.floor((after - last) / THEN_EVERY_MS) + 1) * THEN_EVERY_MS;
}
