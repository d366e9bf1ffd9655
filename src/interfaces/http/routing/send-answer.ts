import type { ServerResponse } from 'node:http';
import { sendJsonText, sendPage } from '../json-page';
import type { ReadAnswer } from './route';

/** A read's answer: a page rendered from cached item texts, a JSON value (200 unless it says), or a rendered text. */
export function sendAnswer(res: ServerResponse, answer: ReadAnswer): void {
  if ('page' in answer) sendPage(res, answer.page);
  else if ('text' in answer) {
    res.writeHead(200, {
      ...answer.headers,
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.text),
    });
    res.end(answer.text);
  } else sendJsonText(res, answer.status ?? 200, JSON.stringify(answer.json));
}
