import type { ServerResponse } from 'node:http';
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
export function sendPage(res: ServerResponse, page: Page<object>): void {
  const body = `{"items":[${page.items.map(jsonOf).join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  sendJsonText(res, 200, body);
}

/**
 * A JSON text written straight to the socket (Express's `res.send` would re-derive the content
 * type, charset and freshness of a body that is JSON and never conditional here). Takes any
 * node ServerResponse, so Express routes and the fast read path write alike.
 */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
