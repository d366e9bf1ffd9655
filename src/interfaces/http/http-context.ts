import type { RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../application/ports/event-store.port';
import type { Application } from '../../application/application';
import type { Reader } from '../../application/queries/queries';
import { principalOf } from './auth/authenticate.middleware';
import type { BearerAuthenticator } from './auth/bearer-authenticator';

/** What every router needs: the application's handlers, auth, idempotency, and read-your-writes. */
export interface HttpContext {
  app: Application;
  /** Judges bearer tokens; `authenticate` is its Express middleware. */
  bearer: BearerAuthenticator;
  authenticate: RequestHandler;
  idempotency: RequestHandler;
  /** True once the server drains for a shutdown (/health/ready then answers 503). */
  shuttingDown?: () => boolean;
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
  await ctx.app.projector.waitFor(position);
}
