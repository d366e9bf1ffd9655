import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Clock } from '../../../application/ports/clock.port';
import type { PortoneTokenStore } from './portone-token.store';

/** PortOne v1 wraps every answer as `{code, message, response}`; code 0 is success. */
export interface PortoneEnvelope<T> {
  code: number;
  message: string | null;
  response: T | null;
}

export function sendOk<T>(res: Response, response: T, httpStatus = 200): void {
  const body: PortoneEnvelope<T> = { code: 0, message: null, response };
  res.status(httpStatus).json(body);
}

export function sendFail(res: Response, httpStatus: number, code: number, message: string): void {
  const body: PortoneEnvelope<never> = { code, message, response: null };
  res.status(httpStatus).json(body);
}

/**
 * The access token, wherever PortOne v1 accepts it: `Authorization: Bearer <token>` (documented,
 * and what iamport-rest-client-nodejs sends), `Authorization: <token>` bare (what PortOne's own
 * `iamport` client and most integrations send), or `X-ImpTokenHeader: <token>` (the legacy
 * Python client). An Authorization value of another scheme (`Basic …`) carries no token.
 */
export function tokenFrom(authorization: string | undefined, legacy: string | undefined): string | null {
  const value = authorization?.trim();
  const bearer = value?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const bare = value !== undefined && /^[^\s]+$/.test(value) ? value : undefined;
  return bearer ?? bare ?? (legacy?.trim() || null);
}

export function requireToken(tokens: PortoneTokenStore, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const token = tokenFrom(req.get('authorization'), req.get('x-imptokenheader'));
    if (!token) return sendFail(res, 401, -1, 'Unauthorized: access_token 이 필요합니다.');
    if (!tokens.isValid(token, clock.now())) {
      return sendFail(res, 401, -1, 'Unauthorized: 유효하지 않거나 만료된 access_token 입니다.');
    }
    next();
  };
}

/** Body-parser failures (bad JSON, too large) are the caller's fault: 400, never a crash or a 500. */
export const portoneErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const status =
    typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number'
      ? err.status
      : 500;
  if (res.headersSent) return;
  if (status >= 400 && status < 500) sendFail(res, status, -1, '요청 본문을 해석할 수 없습니다.');
  else sendFail(res, 500, -1, 'sandbox internal error');
};
