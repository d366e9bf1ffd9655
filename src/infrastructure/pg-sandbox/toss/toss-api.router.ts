import { Router, type Request } from 'express';
import type { ZodError } from 'zod';
import { createTossEndpoint, type TossEndpointDeps } from './toss-endpoint';
import { tossError, type TossReply } from './toss-error-codes';
import type { TossPaymentOperations } from './toss-payment.operations';
import { cancelBodySchema, confirmBodySchema } from './toss-sandbox.schemas';

export interface TossApiDeps extends TossEndpointDeps {
  ops: TossPaymentOperations;
}

export const invalidRequest = (error: ZodError): TossReply =>
  tossError(
    'INVALID_REQUEST',
    error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  );

const bodyString = (req: Request, field: string): string | null => {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : null;
};

/** The Toss core API: confirm, the two lookups and cancel. */
export function createTossApiRouter(deps: TossApiDeps): Router {
  const { ops } = deps;
  const endpoint = createTossEndpoint(deps);
  const orderOfKey = (req: Request): string | null => ops.orderIdOf(String(req.params.paymentKey));
  const router = Router();

  router.post(
    '/v1/payments/confirm',
    endpoint(
      'confirm',
      (req) => bodyString(req, 'orderId'),
      (req, decline) => {
        const parsed = confirmBodySchema.safeParse(req.body);
        return parsed.success ? ops.confirm(parsed.data, decline) : invalidRequest(parsed.error);
      },
    ),
  );

  // A `decline` fault on a lookup is a refusal to answer.
  router.get(
    '/v1/payments/orders/:orderId',
    endpoint(
      'lookup',
      (req) => String(req.params.orderId),
      (req, decline) =>
        decline ? tossError('FORBIDDEN_REQUEST') : ops.findByOrderId(String(req.params.orderId)),
    ),
  );

  router.get(
    '/v1/payments/:paymentKey',
    endpoint('lookup', orderOfKey, (req, decline) =>
      decline ? tossError('FORBIDDEN_REQUEST') : ops.findByKey(String(req.params.paymentKey)),
    ),
  );

  router.post(
    '/v1/payments/:paymentKey/cancel',
    endpoint('cancel', orderOfKey, (req, decline) => {
      const parsed = cancelBodySchema.safeParse(req.body);
      return parsed.success
        ? ops.cancel(String(req.params.paymentKey), parsed.data, decline)
        : invalidRequest(parsed.error);
    }),
  );

  return router;
}
