/** Toss prints times in Korea Standard Time (+09:00, no DST). */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `2022-08-05T12:56:21+09:00`, the shape of requestedAt / approvedAt / canceledAt. */
export function toTossIso(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 19) + '+09:00';
}

/** `2022-08-05T12:56:21.123000`, the webhook `createdAt` (KST, microseconds, no offset). */
export function toTossWebhookTime(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 23) + '000';
}

/** `20220805125621`, used inside generated payment keys. */
export function toTossCompactTime(epochMs: number): string {
  return new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}
