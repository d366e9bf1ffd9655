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
  sendJsonText(res, body);
}

/**
 * A 200 with a JSON text, written straight to the socket: `res.send` would re-derive the
 * content type, charset and freshness of a body that is JSON and never conditional here.
 */
export function sendJsonText(res: Response, body: string): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
