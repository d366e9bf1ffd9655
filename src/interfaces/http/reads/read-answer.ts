import type { ServerResponse } from 'node:http';
import { sendJsonText, sendPage } from '../json-page';
import type { ReadAnswer } from './read-routes';

/** A read's 200: a page rendered from cached item texts, or a JSON value. */
export function sendAnswer(res: ServerResponse, answer: ReadAnswer): void {
  if ('page' in answer) sendPage(res, answer.page);
  else sendJsonText(res, 200, JSON.stringify(answer.json));
}
