import { z } from './zod-openapi';

/** The operators' bodies: health, the processes' pending and parked work, a parked item's retry. */

const storeStatus = z.object({ kind: z.string(), ok: z.boolean(), detail: z.string().optional() });

export const processStatusSchema = z
  .object({
    process: z.string(),
    pending: z.number().int(),
    parked: z.array(z.object({ id: z.string(), reason: z.string().nullable(), since: z.string() })),
  })
  .openapi('ProcessStatus');

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    eventStore: storeStatus,
    readModels: storeStatus,
    projections: z.object({
      checkpoint: z.number().int(),
      head: z.number().int().nullable(),
      healthy: z.boolean(),
    }),
    processes: z.object({
      pending: z.number().int(),
      parked: z.number().int(),
      byProcess: z.array(processStatusSchema),
    }),
  })
  .openapi('Health');

export const retryAcceptedSchema = z
  .object({ process: z.string(), itemId: z.string(), status: z.literal('RETRYING') })
  .openapi('RetryAccepted');

/** The document itself, as far as a client relies on it. */
export const openApiObjectSchema = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string() }),
    paths: z.object({}),
  })
  .openapi('OpenApiDocument');

/** The probes: the process is up; the read models caught up and the server is not draining. */
export const liveSchema = z.object({ status: z.literal('ok') }).openapi('Live');
export const readySchema = z
  .object({
    status: z.enum(['ready', 'starting', 'shutting-down']),
    projections: z.object({ checkpoint: z.number().int(), caughtUpAtStart: z.boolean() }),
  })
  .openapi('Ready');

/** A merchant backend's API key as admins see it (never its secret, but once, on creation). */
export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');
export const createdApiKeySchema = apiKeySchema
  .extend({ secret: z.string().describe('the key to send as `Authorization: Bearer …`; shown this once') })
  .openapi('CreatedApiKey');

/** The key that verifies the history's seals (A2). */
export const sealPublicKeySchema = z
  .object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKeyPem: z.string() })
  .openapi('SealPublicKey');
