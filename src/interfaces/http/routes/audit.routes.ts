import type { RouteTable } from '../routing/route';

/** The auditor's routes. So far the seal key (A2), public: anyone may check a seal or a report. */
export const AUDIT_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/audit/public-key',
    access: 'public',
    answer: (_request, ctx) => ({
      json: {
        algorithm: 'Ed25519',
        keyId: ctx.app.sealer.keyId,
        publicKeyPem: ctx.app.sealer.publicKeyPem,
      },
    }),
  },
];
