import { buildOpenApiDocument } from '../openapi/openapi-document';
import type { CommandRoute, ReadRoute, Route } from '../routing/route';
import { API_KEY_ROUTES } from './api-keys.routes';
import { docsRoutes } from './docs.routes';
import { AUDIT_ROUTES } from './audit.routes';
import { EVENT_FUND_ROUTES } from './event-fund.routes';
import { HEALTH_ROUTES } from './health.routes';
import { ORDER_ROUTES } from './orders.routes';
import { PAYMENT_ROUTES } from './payments.routes';
import { PLAN_ROUTES } from './plans.routes';
import { PROCESS_ROUTES } from './processes.routes';
import { REFUND_ROUTES } from './refunds.routes';
import { SUBSCRIPTION_ROUTES } from './subscriptions.routes';
import { WEBHOOK_ROUTES } from './webhooks.routes';

/** Every route of the v1 contract, one table per noun; Express and the fast paths serve these. */
export const ROUTES: readonly Route[] = [
  ...HEALTH_ROUTES,
  ...PLAN_ROUTES,
  ...ORDER_ROUTES,
  ...PAYMENT_ROUTES,
  ...REFUND_ROUTES,
  ...SUBSCRIPTION_ROUTES,
  ...EVENT_FUND_ROUTES,
  ...WEBHOOK_ROUTES,
  ...PROCESS_ROUTES,
  ...API_KEY_ROUTES,
  ...docsRoutes(() => OPENAPI_DOCUMENT),
  ...AUDIT_ROUTES,
];

/** The OpenAPI 3.1 document of ROUTES, built once at start from the routes' own zod schemas. */
export const OPENAPI_DOCUMENT = buildOpenApiDocument(ROUTES);

export const READS: readonly ReadRoute[] = ROUTES.filter((r): r is ReadRoute => r.method === 'GET');
export const COMMANDS: readonly CommandRoute[] = ROUTES.filter((r): r is CommandRoute => r.method !== 'GET');
