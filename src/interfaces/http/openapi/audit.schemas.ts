import { z } from './zod-openapi';
import { pageOf } from './response.schemas';

/** The auditor's bodies (A4): the signed audit report and an order's or a user's events. */

const finding = z
  .object({
    kind: z.string(),
    rule: z.string().optional(),
    streamId: z.string().describe("'' for a stored read-model document no event made"),
    revision: z.number().int().nullable(),
    toRevision: z.number().int().optional(),
    globalPosition: z.number().int().nullable(),
    seal: z.number().int().optional(),
    collection: z.string().optional(),
    documentId: z.string().optional(),
    fields: z.array(z.string()).optional(),
    detail: z.string(),
  })
  .openapi('AuditFinding');

const count = z.number().int();
const auditTotals = z
  .object({
    at: z.string().nullable().describe('the instant: --as-of, else the latest recorded event time'),
    orders: z.object({ placed: count, paid: count, expired: count }),
    payments: z.object({
      approved: count,
      approvedAmount: count,
      refundedAmount: count.describe('completed refunds and PG console cancels, KRW'),
      netAmount: count,
      refundsPending: count,
      refundsPendingAmount: count,
    }),
    eventFund: z.object({ total: count, contributions: count }),
    subscriptions: z.object({ active: count, inactive: count }),
  })
  .openapi('AuditTotals');

export const auditReportSchema = z
  .object({
    format: z.literal('ledgerline-audit-report/1'),
    headPosition: z.number().int().describe('the cut audited: the store head when the audit started'),
    events: z.number().int(),
    streams: z.number().int(),
    seals: z.object({
      count: z.number().int(),
      valid: z.number().int(),
      last: z
        .object({ sequence: z.number().int(), sealedAt: z.string(), globalPosition: z.number().int() })
        .nullable(),
    }),
    unsealedEvents: z.number().int(),
    asOf: z.string().nullable().describe('the rules and totals cover events recorded up to then'),
    scope: z
      .object({ userId: z.string().optional(), orderId: z.string().optional() })
      .nullable()
      .describe('findings and totals narrowed to a user or an order'),
    totals: auditTotals,
    findings: z.array(finding),
    findingsByKind: z.record(z.number().int()),
    digest: z
      .string()
      .describe('sha256 over the canonical JSON of everything but digest, signature, keyId, run'),
    signature: z.string().nullable().describe('Ed25519 (base64) over "ledgerline-audit-report\\n" + digest'),
    keyId: z
      .string()
      .nullable()
      .describe('sha256 of the signing public key (SPKI DER), as GET /v1/audit/public-key'),
    run: z
      .object({
        generatedAt: z.string(),
        source: z.string(),
        durationMs: z.number(),
        readModels: z.object({ compared: z.boolean() }).passthrough(),
      })
      .describe('how this audit ran: outside the digest'),
  })
  .openapi('AuditReport');

const auditEvent = z
  .object({
    globalPosition: z.number().int(),
    streamId: z.string(),
    revision: z.number().int(),
    type: z.string(),
    recordedAt: z.string(),
    hash: z.string(),
    data: z.record(z.unknown()),
    metadata: z
      .object({
        eventId: z.string(),
        correlationId: z.string(),
        causationId: z.string(),
        actor: z.record(z.unknown()),
        recordedAt: z.string(),
        prevHash: z.string(),
        hash: z.string(),
      })
      .passthrough(),
  })
  .openapi('AuditEvent');

export const auditEventPageSchema = pageOf(auditEvent, 'AuditEventPage');
