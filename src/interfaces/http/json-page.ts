import type { Response } from 'express';
import type { Page } from '../../application/ports/read-model-store.port';

/** Each item's JSON text by item object; the query layer hands out the same view until it changes. */
const texts = new WeakMap<object, string>();

function jsonOf(item: object): string {
  let text = texts.get(item);
  if (text === undefined) {
    text = JSON.stringify(item);
    texts.set(item, text);
  }
  return text;
}

/** Sends a list page `{items, nextCursor}`, serialising each unchanged item only once. */
export function sendPage(res: Response, page: Page<object>): void {
  const body = `{"items":[${page.items.map(jsonOf).join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  res.type('application/json').send(body);
}
