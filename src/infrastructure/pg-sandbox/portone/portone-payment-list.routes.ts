import { Router } from 'express';
import { z } from 'zod';
import { requireToken, sendFail, sendOk } from './portone-envelope';
import { PORTONE_STATUSES, type PortoneListQuery, type PortoneSorting } from './portone-payment.store';
import { describeIssue } from './portone-request.schemas';
import type { PortoneSandboxContext } from './portone-sandbox.context';

/** PortOne searches at most 90 days at a time; without from/to, the 90 days up to now. */
export const PORTONE_MAX_RANGE_SECONDS = 90 * 24 * 60 * 60;
/** Up to 1,000 a page, 20 by default (PortOne's documentation of this call). */
export const PORTONE_LIST_MAX_LIMIT = 1_000;
const DEFAULT_LIMIT = 20;

const SORTINGS: readonly PortoneSorting[] = ['started', '-started', 'paid', '-paid', 'updated', '-updated'];
const whole = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,12}$/)
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

const listQuery = z.object({
  page: whole(1_000_000_000).pipe(z.number().min(1)).default('1'),
  limit: whole(PORTONE_LIST_MAX_LIMIT).pipe(z.number().min(1)).optional(),
  from: whole(Number.MAX_SAFE_INTEGER).optional(),
  to: whole(Number.MAX_SAFE_INTEGER).optional(),
  sorting: z.enum(SORTINGS as [PortoneSorting, ...PortoneSorting[]]).default('-started'),
});
const statusParam = z.enum(['all', ...PORTONE_STATUSES] as [string, ...string[]]);

/**
 * `GET /payments/status/{all|ready|paid|cancelled|failed}` with `page`, `limit`, `from`, `to`
 * (unix seconds) and `sorting`: a page of PaymentAnnotations as `{total, previous, next, list}`
 * (`next` 0 on the last page), the shape iamport-rest-client-nodejs reads. Which time from/to
 * judges is not documented; the sandbox lists a payment when anything was done to it in the
 * range (started, paid, failed or cancelled, both ends included), so a cancel in the range is
 * listed with its payment even when the payment was made before.
 */
export function portonePaymentListRoutes(ctx: PortoneSandboxContext): Router {
  const router = Router();
  router.get('/payments/status/:payment_status', requireToken(ctx.tokens, ctx.clock), (req, res) => {
    const status = statusParam.safeParse(req.params.payment_status);
    if (!status.success) return sendFail(res, 400, -1, '지원되지 않는 상태값입니다.');
    const query = listQuery.safeParse(req.query);
    if (!query.success) return sendFail(res, 400, -1, describeIssue(query.error));
    const { page, sorting } = query.data;
    const limit = query.data.limit ?? DEFAULT_LIMIT;
    const to = query.data.to ?? Math.floor(ctx.clock.now() / 1000);
    const from = query.data.from ?? to - PORTONE_MAX_RANGE_SECONDS;
    if (from > to) return sendFail(res, 400, -1, 'from 은 to 보다 클 수 없습니다.');
    if (to - from > PORTONE_MAX_RANGE_SECONDS)
      return sendFail(res, 400, -1, '검색기간은 최대 90일까지 가능합니다.');
    const offset = (page - 1) * limit;
    const found = ctx.payments.listByActivity({
      status: status.data as PortoneListQuery['status'],
      from,
      to,
      sorting,
      offset,
      limit,
    });
    if (page > 1 && offset >= found.total) return sendFail(res, 400, -1, '데이터 범위를 넘어선 page 입니다.');
    sendOk(res, {
      total: found.total,
      previous: page > 1 ? page - 1 : 0,
      next: offset + found.list.length < found.total ? page + 1 : 0,
      list: found.list,
    });
  });
  return router;
}
