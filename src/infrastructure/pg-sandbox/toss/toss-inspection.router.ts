import { Router } from 'express';
import type { TossCallCounter } from './toss-call.counter';
import type { TossWebhookOutbox } from './toss-webhook.outbox';

/** For tests and demos: how often the service called the PG, and the webhook deliveries. */
export function createTossInspectionRouter(calls: TossCallCounter, outbox: TossWebhookOutbox): Router {
  const router = Router();

  router.get('/calls', (req, res) => {
    const orderId = typeof req.query.orderId === 'string' ? req.query.orderId : undefined;
    res.json(calls.counts(orderId));
  });

  router.delete('/calls', (_req, res) => {
    calls.reset();
    res.status(204).end();
  });

  router.get('/webhooks', (req, res) => {
    const orderId = typeof req.query.orderId === 'string' ? req.query.orderId : undefined;
    const items = outbox.list().filter((d) => orderId === undefined || d.orderId === orderId);
    res.json({ items });
  });

  return router;
}
