import type { RequestHandler, Response } from 'express';
import type { Container } from 'inversify';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../application/ports/event-store.port';
import type { Projector } from '../../application/event-sourcing/projector';
import type { Reader } from '../../application/queries/queries';
import { TOKENS } from '../../application/tokens';
import { principalOf } from './auth/authenticate.middleware';
import type { BearerAuthenticator } from './auth/bearer-authenticator';

/** What every router needs: the container, auth, idempotency, and read-your-writes. */
export interface HttpContext {
  container: Container;
  /** Judges bearer tokens; `authenticate` is its Express middleware. */
  bearer: BearerAuthenticator;
  authenticate: RequestHandler;
  idempotency: RequestHandler;
}

/** The caller, from the token only (never from the body or path). */
export function callerOf(res: Response): { reader: Reader; actor: Actor; requestId: string } {
  const principal = principalOf(res);
  return {
    reader: { userId: principal.userId, role: principal.role },
    actor: { kind: 'user', userId: principal.userId, role: principal.role },
    requestId: randomUUID(),
  };
}

/** A command's response, and the caller's next read, reflect its effects: wait for the projection. */
export async function awaitProjection(ctx: HttpContext, position: number | null): Promise<void> {
  if (position === null) return;
  await ctx.container.get<Projector>(TOKENS.Projector).waitFor(position);
}
