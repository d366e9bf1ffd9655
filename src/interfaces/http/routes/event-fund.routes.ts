import { eventFundSchema } from '../openapi/response.schemas';
import type { RouteTable } from '../routing/route';

/** E1: the event fund's total and contributor count. */
export const EVENT_FUND_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/event-fund',
    access: 'public',
    openapi: {
      summary: 'The event fund (E1): approved EVENT payments less their refunds',
      responses: { 200: { description: 'the fund', schema: eventFundSchema } },
    },
    answer: async (_request, ctx) => ({ json: await ctx.app.queries.eventFund() }),
  },
];
