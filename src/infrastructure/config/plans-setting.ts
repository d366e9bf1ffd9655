import { z } from 'zod';
import type { Plan } from '../../domain/plan/plan';

/**
 * PLANS_JSON: a JSON array replacing the default catalog. A plan with minAmount/maxAmount (or
 * kind "EVENT") is an event plan; any other is a subscription plan. Returns the plans, or the
 * problems found, each naming its place (`PLANS_JSON[1].price`).
 */
const MAX_AMOUNT = 100_000_000;
const amount = (what: string) =>
  z
    .number({ invalid_type_error: `${what} must be a number`, required_error: `${what} is required` })
    .int(`${what} must be a whole number of KRW`)
    .min(1, `${what} must be at least 1`)
    .max(MAX_AMOUNT, `${what} must be at most ${MAX_AMOUNT}`);

const common = {
  id: z
    .number({ invalid_type_error: 'id must be a number', required_error: 'id is required' })
    .int('id must be a whole number')
    .min(1, 'id must be positive')
    .max(999_999_999, 'id is too large'),
  code: z
    .string({ invalid_type_error: 'code must be a string', required_error: 'code is required' })
    .regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'code must be 1–32 characters of A-Z 0-9 _, starting with a letter'),
  name: z
    .string({ invalid_type_error: 'name must be a string', required_error: 'name is required' })
    .trim()
    .min(1, 'name must not be empty')
    .max(100, 'name must be at most 100 characters'),
};

const subscriptionPlan = z
  .object({
    kind: z.literal('SUBSCRIPTION').default('SUBSCRIPTION'),
    ...common,
    price: amount('price'),
    months: z
      .number({ invalid_type_error: 'months must be a number', required_error: 'months is required' })
      .int('months must be a whole number')
      .min(1, 'months must be at least 1')
      .max(120, 'months must be at most 120'),
  })
  .strict();

const eventPlan = z
  .object({
    kind: z.literal('EVENT').default('EVENT'),
    ...common,
    minAmount: amount('minAmount'),
    maxAmount: amount('maxAmount'),
  })
  .strict()
  .refine((plan) => plan.minAmount <= plan.maxAmount, {
    message: 'minAmount must not exceed maxAmount',
    path: ['minAmount'],
  });

export type PlansResult = { ok: true; plans: Plan[] } | { ok: false; problems: string[] };

export function parsePlansJson(raw: string): PlansResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, problems: ['PLANS_JSON: not valid JSON'] };
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return { ok: false, problems: ['PLANS_JSON: must be a non-empty JSON array of plans'] };
  }
  const problems: string[] = [];
  const plans: Plan[] = [];
  parsed.forEach((item: unknown, index) => {
    const result = (isEventShaped(item) ? eventPlan : subscriptionPlan).safeParse(item);
    if (result.success) return void plans.push(result.data);
    for (const issue of result.error.issues) {
      const field = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
      const message =
        issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
      problems.push(`PLANS_JSON[${index}]${field}: ${message}`);
    }
  });
  problems.push(...duplicates(plans, 'id'), ...duplicates(plans, 'code'));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plans };
}

function isEventShaped(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  return 'minAmount' in item || 'maxAmount' in item || (item as { kind?: unknown }).kind === 'EVENT';
}

function duplicates(plans: Plan[], field: 'id' | 'code'): string[] {
  const seen = new Set<string | number>();
  const repeated = new Set<string | number>();
  for (const plan of plans) (seen.has(plan[field]) ? repeated : seen).add(plan[field]);
  return [...repeated].map(
    (value) => `PLANS_JSON: plan ${field} ${JSON.stringify(value)} is used more than once`,
  );
}
