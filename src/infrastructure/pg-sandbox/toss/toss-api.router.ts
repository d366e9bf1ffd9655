import { Router } from 'express';
import type { ZodError } from 'zod';
import { createTossEndpoint, type TossCall, type TossEndpointDeps, type TossRoute } from './toss-endpoint';
import { tossError, type TossReply } from './toss-error-codes';
import type { TossPaymentOperations } from './toss-payment.operations';
import { cancelBodySchema, confirmBodySchema } from './toss-sandbox.schemas';

export interface TossApiDeps extends TossEndpointDeps {
  ops: TossPaymentOperations;
}

export interface TossApi {
  router: Router;
  /** POST /v1/payments/confirm, also served before Express (see toss-fast-confirm). */
  confirm: TossRoute;
}

export const invalidRequest = (error: ZodError): TossReply =>
  tossError(
    'INVALID_REQUEST',
    error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  );

const bodyString = (call: TossCall, field: string): string | null => {
  const value: unknown = (call.body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : null;
};

/** The Toss core API: confirm, the two lookups and cancel. */
export function createTossApi(deps: TossApiDeps): TossApi {
  const { ops } = deps;
  const endpoint = createTossEndpoint(deps);
  const orderOfKey = (call: TossCall): string | null => ops.orderIdOf(String(call.params.paymentKey));
  const router = Router();

  const confirm = endpoint(
    'confirm',
    (call) => bodyString(call, 'orderId'),
    (call, decline) => {
      const parsed = confirmBodySchema.safeParse(call.body);
      return parsed.success ? ops.confirm(parsed.data, decline) : invalidRequest(parsed.error);
    },
  );
  router.post('/v1/payments/confirm', confirm.express);

  // A `decline` fault on a lookup is a refusal to answer.
  router.get(
    '/v1/payments/orders/:orderId',
    endpoint(
      'lookup',
      (call) => String(call.params.orderId),
      (call, decline) =>
        decline ? tossError('FORBIDDEN_REQUEST') : ops.findByOrderId(String(call.params.orderId)),
    ).express,
  );

  router.get(
    '/v1/payments/:paymentKey',
    endpoint('lookup', orderOfKey, (call, decline) =>
      decline ? tossError('FORBIDDEN_REQUEST') : ops.findByKey(String(call.params.paymentKey)),
    ).express,
  );

  router.post(
    '/v1/payments/:paymentKey/cancel',
    endpoint('cancel', orderOfKey, (call, decline) => {
      const parsed = cancelBodySchema.safeParse(call.body);
      return parsed.success
        ? ops.cancel(String(call.params.paymentKey), parsed.data, decline)
        : invalidRequest(parsed.error);
    }).express,
  );

  return { router, confirm };
}
