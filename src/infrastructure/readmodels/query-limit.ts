/** Both adapters refuse a page size they cannot honour the same way (MongoDB reads 0 as "no limit"). */
export function assertValidLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`read-model query limit must be a positive integer, got ${limit}`);
  }
}
