import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { holdUntilClientGivesUp } from '../hold-until-client-gives-up';
import { sendFail, sendOk } from './portone-envelope';
import { describeIssue, getTokenBody } from './portone-request.schemas';
import type { PortoneSandboxContext } from './portone-sandbox.context';

/** Compares digests so the check takes the same time whatever the length of the guess. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `POST /users/getToken`. Faults (operation `token`): timeout and http500 issue nothing;
 * approve-then-timeout issues (or extends) the token and loses the answer; decline answers 401
 * as if the credentials were refused.
 */
export function portoneTokenRoutes(ctx: PortoneSandboxContext): Router {
  const router = Router();
  router.post('/users/getToken', (req, res) => {
    ctx.calls.record('token', null);
    const body = getTokenBody.safeParse(req.body ?? {});
    if (!body.success) return sendFail(res, 400, -1, describeIssue(body.error));
    const validKey = sameSecret(body.data.imp_key, ctx.apiKey);
    if (!(sameSecret(body.data.imp_secret, ctx.apiSecret) && validKey)) {
      return sendFail(res, 401, -1, 'imp_key, imp_secret 인증에 실패하였습니다.');
    }
    const fault = ctx.faults.take('portone', 'token');
    if (fault === 'timeout') return holdUntilClientGivesUp(res);
    if (fault === 'http500')
      return sendFail(res, 500, -1, '[sandbox] 토큰 발급 중 내부 오류가 발생했습니다.');
    if (fault === 'decline') return sendFail(res, 401, -1, '[sandbox] 토큰 발급이 거절되었습니다.');
    const token = ctx.tokens.issue(ctx.clock.now());
    if (fault === 'approve-then-timeout') return holdUntilClientGivesUp(res);
    sendOk(res, token);
  });
  return router;
}
