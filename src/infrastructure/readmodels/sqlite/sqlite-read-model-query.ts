import type Database from 'better-sqlite3';
import type { CursorPosition, CursorValue } from '../cursor';
import { orderExpression, quoteIdentifier, tableName, whereExpression } from './sqlite-read-model-schema';

type Direction = 'asc' | 'desc';
type Bound = string | number | null;

/**
 * A query shape's statements. The order is two runs: documents without the orderBy field
 * (sorted by id) and documents with it (sorted by value, then id); ascending the missing ones
 * come first, descending last. Each run is one statement that walks the shape's index from the
 * cursor (a range on the index, not a scan from the top), so a page costs its own rows only.
 */
export class SqliteQueryShape {
  private readonly valued: Database.Statement<Bound[], { id: string }>;
  private readonly valuedAfter: Database.Statement<Bound[], { id: string }>;
  private readonly missing: Database.Statement<Bound[], { id: string }>;
  private readonly missingAfter: Database.Statement<Bound[], { id: string }>;

  constructor(
    db: Database.Database,
    collection: string,
    /** Sorted, as the index has them. */
    readonly whereFields: readonly string[],
    orderBy: string,
    private readonly direction: Direction,
  ) {
    const table = quoteIdentifier(tableName(collection));
    const o = orderExpression(orderBy);
    const equal = whereFields.map((field) => `${whereExpression(field)} = ?`);
    const where = (extra: string[]) => [...equal, ...extra].join(' AND ');
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    const [cmp, cmpOrEqual] = direction === 'asc' ? ['>', '>='] : ['<', '<='];
    const select = (conditions: string[], order: string) =>
      db.prepare<Bound[], { id: string }>(
        `SELECT id FROM ${table} WHERE ${where(conditions)} ORDER BY ${order} LIMIT ?`,
      );
    this.valued = select([`${o} IS NOT NULL`], `${o} ${dir}, id ${dir}`);
    // The plain comparison gives the index a range; the row value settles ties by id.
    this.valuedAfter = select([`${o} ${cmpOrEqual} ?`, `(${o}, id) ${cmp} (?, ?)`], `${o} ${dir}, id ${dir}`);
    this.missing = select([`${o} IS NULL`], `id ${dir}`);
    this.missingAfter = select([`${o} IS NULL`, `id ${cmp} ?`], `id ${dir}`);
  }

  /** Up to `count` ids after the cursor, in order. `equals` are the where values' JSON texts. */
  ids(equals: readonly string[], after: CursorPosition | undefined, count: number): string[] {
    const ids: string[] = [];
    const run = (statement: Database.Statement<Bound[], { id: string }>, bounds: Bound[]) => {
      if (ids.length >= count) return;
      for (const row of statement.all(...equals, ...bounds, count - ids.length)) ids.push(row.id);
    };
    const value = after === undefined ? undefined : bindable(after.value);
    if (this.direction === 'asc') {
      if (after === undefined) run(this.missing, []);
      else if (value === null) run(this.missingAfter, [after.id]);
      if (after === undefined || value === null) run(this.valued, []);
      else run(this.valuedAfter, [value!, value!, after.id]);
    } else {
      if (after === undefined) run(this.valued, []);
      else if (value !== null) run(this.valuedAfter, [value!, value!, after.id]);
      if (after === undefined || value !== null) run(this.missing, []);
      else run(this.missingAfter, [after.id]);
    }
    return ids;
  }
}

/** SQLite has no booleans: `->>` reads true/false as 1/0, so a cursor on one binds the same. */
function bindable(value: CursorValue): Bound {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
