import type { CommandRoute } from './command-route';
import { confirmPaymentCommand } from './confirm-payment.command';
import { tossWebhookCommand } from './toss-webhook.command';

/** The hot JSON POSTs, served by the fast command path and, for anything unusual, by Express. */
export const COMMAND_ROUTES: readonly CommandRoute[] = [confirmPaymentCommand, tossWebhookCommand];
