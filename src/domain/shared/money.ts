/** Money is an integer number of KRW; there is no other currency here. */
export type Krw = number;
export const CURRENCY = 'KRW' as const;

export function isKrw(value: unknown): value is Krw {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
