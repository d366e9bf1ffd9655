import { z } from 'zod';

/**
 * Zod pieces shared by the routers. Every schema takes strings or numbers only, never
 * coerces objects, so operator-shaped input such as {"$gt": ""} is refused at the edge.
 */

/**
 * User ids as they appear in tokens (`sub`) and paths: URL-safe, bounded, and starting with a
 * letter or digit so `.` and `..` can never be an id.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const userIdSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(
    USER_ID_PATTERN,
    'must be 1–128 characters of A-Z a-z 0-9 . _ : @ -, starting with a letter or digit',
  );

/** We make 20–40 chars (O2); accept what Toss accepts (6–64) so a lookup never 500s on format. */
export const orderIdSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be 6–64 characters of A-Z a-z 0-9 _ -');

export const MAX_KRW_AMOUNT = 100_000_000;

/** A JSON number of whole KRW: no strings, floats, negatives, zero, NaN or Infinity. */
export const krwAmountSchema = z
  .number({ invalid_type_error: 'must be a number', required_error: 'is required' })
  .int('must be a whole number of KRW')
  .min(1, 'must be at least 1 KRW')
  .max(MAX_KRW_AMOUNT, `must be at most ${MAX_KRW_AMOUNT} KRW`);

/** Path segments are strings; a plan id is a positive integer written in plain digits. */
export const planIdParamSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'must be a positive integer')
  .transform(Number);

/** `?limit=&cursor=` for list endpoints; query values arrive as strings (or arrays when repeated). */
export const paginationQuerySchema = z
  .object({
    limit: z
      .string({ invalid_type_error: 'must be given once, as a number' })
      .regex(/^[0-9]{1,3}$/, 'must be a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1').max(100, 'must be at most 100'))
      .default('20')
      .describe('page size, 1–100 (default 20)'),
    cursor: z
      .string({ invalid_type_error: 'must be given once' })
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .optional()
      .describe('the nextCursor of the previous page; omit for the first page'),
  })
  .strict();

export type Pagination = z.output<typeof paginationQuerySchema>;
