import { z } from 'zod';
import { PORTONE_STATUSES, type PortoneStatus } from './portone-payment.store';

/** Form-urlencoded bodies carry numbers and booleans as strings; JSON carries them natively. */
const wholeNumber = z
  .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)])
  .pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const optionalText = (max: number) => z.string().max(max).optional();

export const getTokenBody = z.object({
  imp_key: z.string(),
  imp_secret: z.string(),
});

export const cancelBody = z
  .object({
    imp_uid: z.string().min(1).max(32).optional(),
    merchant_uid: z.string().min(1).max(40).optional(),
    amount: wholeNumber.optional(),
    checksum: z.union([wholeNumber, z.null()]).optional(),
    reason: z.string().max(500).optional(),
    enable_webhook: flag.optional(),
  })
  .refine((b) => b.imp_uid !== undefined || b.merchant_uid !== undefined, {
    message: 'imp_uid 또는 merchant_uid 가 필요합니다.',
  });

export const consoleCancelBody = z.object({
  reason: z.string().max(500).default('관리자 콘솔 취소'),
  amount: wholeNumber.optional(),
});

export const sessionBody = z.object({
  merchant_uid: z.string().min(1).max(40),
  amount: wholeNumber.pipe(z.number().positive()),
  name: z.string().min(1).max(200),
  pay_method: z.string().min(1).max(30).default('card'),
  card_code: z
    .string()
    .regex(/^\d{3}$/)
    .optional(),
  /** approve: paid; decline: failed (a card refusal); ready: the buyer has not finished paying. */
  outcome: z.enum(['approve', 'decline', 'ready']).default('approve'),
  buyer_name: optionalText(100),
  buyer_email: optionalText(200),
  buyer_tel: optionalText(50),
  /** Where this payment's webhooks go, instead of the URL set in the console (IMP.request_pay). */
  notice_url: z
    .string()
    .max(1000)
    .url()
    .refine((url) => /^https?:\/\//i.test(url), 'an http(s) URL')
    .optional(),
});
export type SessionRequest = z.infer<typeof sessionBody>;

export const paymentStatusParam = z.enum(PORTONE_STATUSES as [PortoneStatus, ...PortoneStatus[]]);

/** The first zod issue as a short human message for the envelope. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '잘못된 요청입니다.';
  const where = issue.path.join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
