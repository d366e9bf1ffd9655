import type Database from 'better-sqlite3';
import type { CursorPosition, CursorValue } from '../cursor';
import { orderExpression, quoteIdentifier, tableName, whereExpression } from './sqlite-read-model-schema';

type Direction = 'asc' | 'desc';
type Bound = string | number | null;

type Segment = 'first' | 'valued' | 'valuedAfter' | 'missing' | 'missingAfter';
type Ids = Database.Statement<Bound[], string>;

/** Page sizes a shape keeps statements for; a shape asked for more sizes starts its cache over. */
const LITERAL_LIMITS = 16;

/**
 * A query shape's statements. The order is two runs: documents without the orderBy field
 * (sorted by id) and documents with it (sorted by value, then id); ascending the missing ones
 * come first, descending last, as SQLite sorts NULL. The first page is one statement; a page
 * after a cursor runs from the cursor through what is left of its run, then into the other run.
 * Every statement walks the shape's index from where the page starts (a range on the index,
 * not a scan from the top), so a page costs its own rows only. The LIMIT is written into the
 * statement: bound as a parameter it cost 5–10 µs more per query (SQLite 3.53, better-sqlite3 12).
 */
export class SqliteQueryShape {
  private readonly sql: Record<Segment, string>;
  private readonly statements = new Map<string, Ids>();

  constructor(
    private readonly db: Database.Database,
    /** Names the shape among the collection's (collection, where fields, orderBy, direction). */
    readonly key: string,
    collection: string,
    /** Sorted, as the index has them. */
    readonly whereFields: readonly string[],
    orderBy: string,
    private readonly direction: Direction,
  ) {
    const table = quoteIdentifier(tableName(collection));
    const o = orderExpression(orderBy);
    const equal = whereFields.map((field) => `${whereExpression(field)} = ?`);
    const where = (extra: string[]) => {
      const conditions = [...equal, ...extra];
      return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    };
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    const [cmp, cmpOrEqual] = direction === 'asc' ? ['>', '>='] : ['<', '<='];
    const select = (conditions: string[], order: string) =>
      `SELECT id FROM ${table}${where(conditions)} ORDER BY ${order} LIMIT `;
    this.sql = {
      first: select([], `${o} ${dir}, id ${dir}`),
      valued: select([`${o} IS NOT NULL`], `${o} ${dir}, id ${dir}`),
      // The plain comparison gives the index a range; the row value settles ties by id.
      valuedAfter: select([`${o} ${cmpOrEqual} ?`, `(${o}, id) ${cmp} (?, ?)`], `${o} ${dir}, id ${dir}`),
      missing: select([`${o} IS NULL`], `id ${dir}`),
      missingAfter: select([`${o} IS NULL`, `id ${cmp} ?`], `id ${dir}`),
    };
  }

  /** Up to `count` ids after the cursor, in order. `equals` are the where values' JSON texts. */
  ids(equals: readonly string[], after: CursorPosition | undefined, count: number): string[] {
    if (after === undefined) return this.run('first', equals, [], count);
    const value = bindable(after.value);
    const asc = this.direction === 'asc';
    if (value === null) {
      const missing = this.run('missingAfter', equals, [after.id], count);
      return asc ? this.then(missing, this.statement('valued', count), equals, count) : missing;
    }
    const valued = this.run('valuedAfter', equals, [value, value, after.id], count);
    return asc ? valued : this.then(valued, this.statement('missing', count), equals, count);
  }

  /** Fills the page from the next run (its first rows are exactly the ones that follow). */
  private then(ids: string[], next: Ids, equals: readonly string[], count: number): string[] {
    if (ids.length >= count) return ids;
    for (const id of next.all(...equals)) {
      if (ids.length >= count) break;
      ids.push(id);
    }
    return ids;
  }

  private run(segment: Segment, equals: readonly string[], bounds: Bound[], count: number): string[] {
    return this.statement(segment, count).all(...equals, ...bounds);
  }

  private statement(segment: Segment, count: number): Ids {
    const key = `${segment}:${count}`;
    let statement = this.statements.get(key);
    if (statement === undefined) {
      if (this.statements.size >= LITERAL_LIMITS * 5) this.statements.clear(); // 5 segments
      statement = this.db.prepare<Bound[], string>(this.sql[segment] + String(count)).pluck();
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/** SQLite has no booleans: `->>` reads true/false as 1/0, so a cursor on one binds the same. */
function bindable(value: CursorValue): Bound {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
