import { Router } from 'express';
import { MSG_NO_PAYMENT } from './portone-cancel.service';
import { sendFail, sendOk } from './portone-envelope';
import { consoleCancelBody, describeIssue, sessionBody } from './portone-request.schemas';
import type { PortoneSandboxContext } from './portone-sandbox.context';

/**
 * The sandbox's own endpoints (no PortOne auth): the buyer's window, the admin console, and
 * inspection for tests (webhook deliveries, call counters).
 */
export function portoneSandboxToolsRoutes(ctx: PortoneSandboxContext): Router {
  const router = Router();

  /**
   * IMP.request_pay completing in the buyer's window. The fields are also at the top level, as
   * DESIGN.md names them, besides the usual envelope.
   */
  router.post('/sessions', (req, res) => {
    const body = sessionBody.safeParse(req.body ?? {});
    if (!body.success) return sendFail(res, 400, -1, describeIssue(body.error));
    if (body.data.notice_url !== undefined && !ctx.noticeUrlAllowed(body.data.notice_url)) {
      return sendFail(
        res,
        400,
        -1,
        'notice_url: the sandbox sends webhooks only to loopback or an origin listed in SANDBOX_NOTICE_URL_ALLOW',
      );
    }
    const now = ctx.clock.now();
    const created = ctx.sessions.complete(body.data, now);
    if (body.data.notice_url) ctx.outbox.setNoticeUrl(created.imp_uid, body.data.notice_url);
    // PortOne sends no webhook for a failed payment.
    if (created.status === 'paid') ctx.outbox.enqueue({ ...created, status: 'paid' }, now);
    res.status(201).json({ code: 0, message: null, response: created, ...created });
  });

  /** A cancel made by a person in the PortOne admin console; the merchant hears of it by webhook. */
  router.post('/console/payments/:imp_uid/cancel', (req, res) => {
    const body = consoleCancelBody.safeParse(req.body ?? {});
    if (!body.success) return sendFail(res, 400, -1, describeIssue(body.error));
    const now = ctx.clock.now();
    const result = ctx.cancels.cancel({ impUid: String(req.params.imp_uid) }, body.data, now);
    if (result.kind === 'refused') {
      return sendFail(res, result.message === MSG_NO_PAYMENT ? 404 : 409, 1, result.message);
    }
    const { payment, cancel } = result;
    ctx.outbox.enqueueCancelled(payment, cancel, now);
    sendOk(res, payment);
  });

  router.get('/webhooks', (_req, res) => sendOk(res, ctx.outbox.list()));

  router.get('/calls', (req, res) => {
    const merchantUid = req.query.merchant_uid;
    if (merchantUid !== undefined && typeof merchantUid !== 'string') {
      return sendFail(res, 400, -1, 'merchant_uid 는 하나의 문자열이어야 합니다.');
    }
    sendOk(res, ctx.calls.counts(merchantUid));
  });

  router.delete('/calls', (_req, res) => {
    ctx.calls.reset();
    sendOk(res, ctx.calls.counts());
  });

  return router;
}
