import { PROBLEM_CONTENT_TYPE } from '../problem/problem-details';
import { statusOf, titleOf, type ProblemCode } from '../problem/error-status';
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from './zod-openapi';

/** RFC 9457 problem details with our stable `code`, and the extra fields some codes carry. */
export const problemSchema = z
  .object({
    type: z.string().url(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable; clients switch on it'),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          in: z.enum(['body', 'params', 'query', 'header']).optional(),
        }),
      )
      .optional()
      .describe('VALIDATION_FAILED: each refused field'),
    pgCode: z.string().optional().describe("PAYMENT_REJECTED: the PG's own code"),
  })
  .openapi('Problem');

/**
 * The problem responses of one route, one per status: the body is a Problem whose `code` is one
 * of the codes this route can give at that status (so a new code cannot appear undocumented).
 */
export function problemResponses(codes: Iterable<ProblemCode>): Record<number, ResponseConfig> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = [...list].sort();
    responses[status] = {
      description: sorted.map((code) => `\`${code}\`: ${titleOf(code)}`).join('; '),
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: problemSchema.extend({
            status: z.literal(status),
            code: z.enum(sorted as [ProblemCode, ...ProblemCode[]]),
          }),
        },
      },
    };
  }
  return responses;
}
