import type { IncomingMessage } from 'node:http';

/** What express.json() parses as UTF-8 JSON without further thought. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * A body a fast path may read itself: JSON in UTF-8, a declared length within `limitBytes`, not
 * chunked, no content encoding. Anything else is left to Express's body parser.
 */
export function isPlainJsonBody(req: IncomingMessage, limitBytes: number): boolean {
  const headers = req.headers;
  if (headers['transfer-encoding'] !== undefined) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON.test(type)) return false;
  const length = headers['content-length'];
  if (length === undefined || !/^\d{1,6}$/.test(length)) return false;
  return Number(length) <= limitBytes;
}

/**
 * The body's text, decoded as UTF-8 without a byte-order mark, as body-parser decodes it. A body
 * that trickles in or stops short is cut off by the server's request timeout (server-limits.ts),
 * which answers 408 and closes the connection; then this rejects.
 */
export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    // A body cut off (the server's request timeout, a client gone) must settle too, or the
    // handler and its chunks would wait for an 'end' that never comes.
    req.on('close', () => {
      if (!req.complete) reject(new Error('request body incomplete: the connection closed'));
    });
    req.on('end', () => {
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
  });
}

/**
 * express.json({ strict: true }) to the letter: an empty body is `{}`; anything whose first
 * non-blank character is not `{` or `[` is malformed, like text JSON.parse would refuse.
 * Returns undefined for a malformed body.
 */
export function parseStrictJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
