import type { ServerResponse } from 'node:http';
import { sendJsonText, sendPage } from '../json-page';
import type { ReadAnswer } from './route';

/** A read's answer: a page rendered from cached item texts, or a JSON value (200 unless it says). */
export function sendAnswer(res: ServerResponse, answer: ReadAnswer): void {
  if ('page' in answer) sendPage(res, answer.page);
  else sendJsonText(res, answer.status ?? 200, JSON.stringify(answer.json));
}
