import { Router, type Request, type RequestHandler, type Response } from 'express';
import { holdUntilClientGivesUp } from '../hold-until-client-gives-up';
import type { PortoneOperation } from './portone-call-counter';
import { requireToken, sendFail, sendOk } from './portone-envelope';
import type { PortonePaymentAnnotation, PortoneStatus } from './portone-payment.store';
import { cancelBody, describeIssue, paymentStatusParam } from './portone-request.schemas';
import type { PortoneSandboxContext } from './portone-sandbox.context';

export const SANDBOX_FAULT_FAIL_REASON = '[sandbox] 카드사 승인 거절 (decline fault)';
const FAULT_500_MESSAGE = '[sandbox] PG사 내부 오류가 발생했습니다.';

/**
 * The authenticated payment API: lookups and cancel. Faults: `confirm` targets
 * GET /payments/{imp_uid}, `lookup` targets GET /payments/find/..., `cancel` POST /payments/cancel.
 * On a lookup, `decline` answers the payment as `failed` (with fail_reason) without changing what
 * is stored, as if the PG reported the attempt failed; timeout and approve-then-timeout both hold
 * the request (a read applies nothing).
 */
export function portonePaymentRoutes(ctx: PortoneSandboxContext): Router {
  const router = Router();
  const auth = requireToken(ctx.tokens, ctx.clock);
  const count =
    (operation: PortoneOperation, merchantUidOf: (req: Request) => string | null): RequestHandler =>
    (req, _res, next) => {
      ctx.calls.record(operation, merchantUidOf(req));
      next();
    };

  /** Answers a lookup, applying the operation's fault; returns nothing when the answer is withheld. */
  const answerLookup = (
    res: Response,
    operation: 'confirm' | 'lookup',
    find: () => PortonePaymentAnnotation | null,
    notFound: string,
  ): void => {
    const fault = ctx.faults.take('portone', operation);
    if (fault === 'timeout' || fault === 'approve-then-timeout') return holdUntilClientGivesUp(res);
    if (fault === 'http500') return sendFail(res, 500, -1, FAULT_500_MESSAGE);
    const payment = find();
    if (!payment) return sendFail(res, 404, -1, notFound);
    sendOk(res, fault === 'decline' ? asFailed(payment, ctx.clock.now()) : payment);
  };

  router.get(
    '/payments/find/:merchant_uid',
    count('lookup', (req) => String(req.params.merchant_uid)),
    auth,
    (req, res) => {
      const merchantUid = String(req.params.merchant_uid);
      answerLookup(
        res,
        'lookup',
        () => ctx.payments.latestByMerchantUid(merchantUid),
        '결제건이 존재하지 않습니다.',
      );
    },
  );

  router.get(
    '/payments/find/:merchant_uid/:payment_status',
    count('lookup', (req) => String(req.params.merchant_uid)),
    auth,
    (req, res) => {
      const status = paymentStatusParam.safeParse(req.params.payment_status);
      if (!status.success)
        return sendFail(res, 400, -1, 'payment_status 는 ready, paid, cancelled, failed 중 하나입니다.');
      const merchantUid = String(req.params.merchant_uid);
      const find = () => ctx.payments.latestByMerchantUid(merchantUid, status.data as PortoneStatus);
      answerLookup(res, 'lookup', find, '결제건이 존재하지 않습니다.');
    },
  );

  router.get(
    '/payments/:imp_uid',
    count('confirm', (req) => ctx.payments.merchantUidOf(String(req.params.imp_uid))),
    auth,
    (req, res) => {
      const impUid = String(req.params.imp_uid);
      answerLookup(res, 'confirm', () => ctx.payments.get(impUid), '유효하지 않은 imp_uid');
    },
  );

  router.post('/payments/cancel', count('cancel', cancelMerchantUid(ctx)), auth, (req, res) => {
    const body = cancelBody.safeParse(req.body ?? {});
    if (!body.success) return sendFail(res, 400, -1, describeIssue(body.error));
    const fault = ctx.faults.take('portone', 'cancel');
    if (fault === 'timeout') return holdUntilClientGivesUp(res);
    if (fault === 'http500') return sendFail(res, 500, -1, FAULT_500_MESSAGE);
    if (fault === 'decline') return sendFail(res, 200, 1, '[sandbox] PG사에서 취소를 거절했습니다.');
    const now = ctx.clock.now();
    const { imp_uid, merchant_uid, amount, checksum, reason, enable_webhook } = body.data;
    const result = ctx.cancels.cancel(
      { impUid: imp_uid, merchantUid: merchant_uid },
      { amount, checksum, reason: reason ?? '' },
      now,
    );
    if (result.kind === 'ok' && enable_webhook === true) {
      ctx.outbox.enqueueCancelled(result.payment, result.cancel, now);
    }
    if (fault === 'approve-then-timeout') return holdUntilClientGivesUp(res);
    if (result.kind === 'refused') return sendFail(res, 200, 1, result.message);
    sendOk(res, result.payment);
  });

  return router;
}

/** For the call counter only: which merchant_uid a (possibly malformed) cancel body targets. */
function cancelMerchantUid(ctx: PortoneSandboxContext) {
  return (req: Request): string | null => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null) return null;
    const { imp_uid, merchant_uid } = body as { imp_uid?: unknown; merchant_uid?: unknown };
    if (typeof imp_uid === 'string') return ctx.payments.merchantUidOf(imp_uid);
    return typeof merchant_uid === 'string' ? merchant_uid : null;
  };
}

function asFailed(payment: PortonePaymentAnnotation, nowMs: number): PortonePaymentAnnotation {
  return {
    ...payment,
    status: 'failed',
    paid_at: 0,
    failed_at: Math.floor(nowMs / 1000),
    fail_reason: SANDBOX_FAULT_FAIL_REASON,
  };
}
