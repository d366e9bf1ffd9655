import { z } from 'zod';
import type { PgResult } from '../../../application/ports/payment-gateway.port';
import { classifyPortoneAnswer } from './portone-answer.classifier';
import type { PortoneHttpClient } from './portone-http-client';
import type { FetchedToken } from './portone-token-cache';

const tokenResponse = z.object({ access_token: z.string().min(1), now: z.number(), expired_at: z.number() });

/** `POST /users/getToken` with the REST API key and secret: the token and its lifetime by PortOne's clock. */
export async function requestPortoneToken(
  client: PortoneHttpClient,
  apiKey: string,
  apiSecret: string,
): Promise<PgResult<FetchedToken>> {
  const outcome = await client.send({
    method: 'POST',
    path: '/users/getToken',
    body: { imp_key: apiKey, imp_secret: apiSecret },
  });
  return classifyPortoneAnswer<FetchedToken>(outcome, {
    onSuccess: (response) => {
      const parsed = tokenResponse.safeParse(response);
      if (!parsed.success)
        return { kind: 'unknown', reason: 'PortOne getToken answered without a usable token' };
      const { access_token, now, expired_at } = parsed.data;
      return { kind: 'ok', value: { accessToken: access_token, lifetimeMs: (expired_at - now) * 1000 } };
    },
  });
}
