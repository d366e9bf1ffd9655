import type { RuleOptions } from '../../application/audit/rules/audit-rules';
import { orderIdSchema, USER_ID_PATTERN } from '../http/validation/common.schemas';
import { namesRealDate } from './audit-window';

export const SCOPE_OPTIONS = {
  'as-of': { type: 'string' },
  user: { type: 'string' },
  order: { type: 'string' },
} as const;

/** A flag the audit cannot take: `npm run audit` says why and exits 2 before reading anything. */
export class AuditUsageError extends Error {}

/** A date (UTC midnight), or a time with its offset: a bare local time would depend on the machine. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `--as-of`, `--user`, `--order` checked and turned into the audit's rule options. */
export function ruleOptionsOf(values: { 'as-of'?: string; user?: string; order?: string }): RuleOptions {
  const options: RuleOptions = {};
  if (values['as-of'] !== undefined) {
    const asOf = values['as-of'];
    const instant = ISO_8601.test(asOf) ? Date.parse(asOf) : Number.NaN;
    if (Number.isNaN(instant) || !namesRealDate(instant, asOf))
      throw new AuditUsageError(
        `--as-of ${asOf}: expected an ISO-8601 date or a time with its offset, such as 2026-03-01T12:00:00Z`,
      );
    options.asOf = new Date(instant).toISOString();
  }
  if (values.user !== undefined && values.order !== undefined)
    throw new AuditUsageError('--user and --order narrow the audit two ways: give one of them');
  // The ids the HTTP API takes in its paths, checked the same way.
  if (values.user !== undefined && !USER_ID_PATTERN.test(values.user))
    throw new AuditUsageError(
      `--user ${JSON.stringify(values.user)}: not a user id (1–128 characters of A-Z a-z 0-9 . _ : @ -, starting with a letter or digit)`,
    );
  if (values.order !== undefined && !orderIdSchema.safeParse(values.order).success)
    throw new AuditUsageError(
      `--order ${JSON.stringify(values.order)}: not an order id (6–64 characters of A-Z a-z 0-9 _ -)`,
    );
  if (values.user !== undefined) options.userId = values.user;
  if (values.order !== undefined) options.orderId = values.order;
  return options;
}
