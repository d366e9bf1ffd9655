import type { RouteTable } from '../routing/route';

/** E1: the event fund's total and contributor count. */
export const EVENT_FUND_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/event-fund',
    access: 'public',
    answer: async (_request, ctx) => ({ json: await ctx.app.queries.eventFund() }),
  },
];
