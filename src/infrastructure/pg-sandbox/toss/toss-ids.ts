import { randomBytes, randomInt } from 'node:crypto';
import { toTossCompactTime } from './toss-time.format';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

const digits = (length: number): string => Array.from({ length }, () => randomInt(10)).join('');

/** Shaped like Toss's keys: `tgen_` + KST timestamp + random (well under the 200-char limit). */
export const newPaymentKey = (now: number): string => `tgen_${toTossCompactTime(now)}${randomAlnum(10)}`;

/** 32 upper-case hex characters, like Toss transaction keys (≤ 64). */
export const newTransactionKey = (): string => randomBytes(16).toString('hex').toUpperCase();

export const newApproveNo = (): string => digits(8);

/** Masked the way Toss shows card numbers: `43301234****123*`. */
export const newMaskedCardNumber = (): string => `4${digits(7)}****${digits(3)}*`;
