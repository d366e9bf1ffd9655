import type { WebhookHint } from '../../../application/webhook/webhook-inbox';
import type { HttpContext } from '../http-context';
import type { CommandAnswer } from '../routing/route';

/** A PG webhook: recorded durably and answered 200 at once; the webhook-inbox process acts on it. */
export async function acceptWebhook(ctx: HttpContext, hint: WebhookHint): Promise<CommandAnswer> {
  const accepted = await ctx.app.webhooks.accept(hint);
  if (!accepted.recorded) return { status: 200, json: { received: true, ignored: accepted.ignored } };
  return {
    status: 200,
    json: { received: true },
    afterwards: () => void ctx.app.scheduler.runDue(),
  };
}
