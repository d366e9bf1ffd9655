import type { IncomingMessage } from 'node:http';
import { sendTossReply, type TossRoute, tossError } from '../../../infrastructure/composition';
import { isPlainJsonBody, parseStrictJson, readText } from '../routing/json-body';
import type { RequestHandlerFirst } from '../fast-path';

const CONFIRM_PATH = '/v1/payments/confirm';
/** Far above a confirm's body; a larger one goes through Express (limit 100 KiB), as may any. */
const FAST_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The simulated Toss confirm served before Express when the request is ordinary: the exact
 * path, JSON in UTF-8 of declared length. It parses the body as the sandbox's
 * `express.json()` does (strict; unparseable is Toss's INVALID_REQUEST, as its error handler
 * answers) and hands the call to the same pipeline the Express route runs. The simulated PG
 * shares the benchmark's two cores with the service, and Express's per-request set-up cost
 * more than the confirm itself.
 */
export function tossFastConfirm(mountPath: string, confirm: TossRoute): RequestHandlerFirst {
  const url = `${mountPath}${CONFIRM_PATH}`;
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== url || !isPlainJsonBody(req, FAST_BODY_LIMIT_BYTES)) {
      return false;
    }
    readText(req).then(
      (text) => {
        const body = parseStrictJson(text);
        if (body === undefined) return sendTossReply(res, tossError('INVALID_REQUEST'));
        try {
          confirm.serve({ method: 'POST', path: CONFIRM_PATH, header: headerOf(req), params: {}, body }, res);
        } catch {
          // What the sandbox's Express error handler answers for anything unexpected.
          if (res.headersSent) return void res.destroy();
          sendTossReply(res, tossError('FAILED_INTERNAL_SYSTEM_PROCESSING'));
        }
      },
      () => res.destroy(), // the client went away mid-body: no one to answer
    );
    return true;
  };
}

/** Express's `req.get(name)` for the headers the pipeline reads (never set-cookie). */
function headerOf(req: IncomingMessage): (name: string) => string | undefined {
  return (name) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}
