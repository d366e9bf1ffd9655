import { sealPublicKeySchema } from '../openapi/operations.schemas';
import type { RouteTable } from '../routing/route';

/** The auditor's routes. So far the seal key (A2), public: anyone may check a seal or a report. */
export const AUDIT_ROUTES: RouteTable = [
  {
    method: 'GET',
    path: '/v1/audit/public-key',
    access: 'public',
    openapi: {
      summary: "The Ed25519 public key that verifies the history's seals (A2)",
      responses: { 200: { description: 'the key, PEM', schema: sealPublicKeySchema } },
    },
    answer: (_request, ctx) => ({
      json: {
        algorithm: 'Ed25519' as const,
        keyId: ctx.app.sealer.keyId,
        publicKeyPem: ctx.app.sealer.publicKeyPem,
      },
    }),
  },
];
