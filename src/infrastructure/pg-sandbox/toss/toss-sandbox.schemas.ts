import { z } from 'zod';
import { TOSS_METHODS } from './toss-payment.record';

/** Request bodies of the Toss API and the buyer side. Anything that fails parsing is INVALID_REQUEST. */
export const confirmBodySchema = z.object({
  paymentKey: z.string().min(1).max(200),
  orderId: z.string().min(1).max(64),
  amount: z.number().int().positive(),
});
export type ConfirmBody = z.infer<typeof confirmBodySchema>;

export const cancelBodySchema = z.object({
  cancelReason: z.string().trim().min(1).max(200),
  cancelAmount: z.number().int().positive().optional(),
});
export type CancelBody = z.infer<typeof cancelBodySchema>;

export const sessionBodySchema = z.object({
  // Toss: 6–64 of letters, digits, '-' and '_' (reference 1.4).
  orderId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  amount: z.number().int().positive(),
  orderName: z.string().min(1).max(100),
  method: z.enum(TOSS_METHODS).optional(),
  cardIssuerCode: z
    .string()
    .regex(/^[0-9A-Z]{2}$/)
    .optional(),
  easyPayProvider: z.string().min(1).max(50).optional(),
  outcome: z
    .string()
    .regex(/^(approve|decline|[A-Z][A-Z0-9_]*)$/)
    .optional(),
});
export type SessionBody = z.infer<typeof sessionBodySchema>;
