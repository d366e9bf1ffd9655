import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProblemCode } from './problem/error-status';
import { problemBody, PROBLEM_CONTENT_TYPE } from './problem/problem-details';

/** What node's parser (or its request timer) reports, as the problem a client gets. */
function problemFor(code: string | undefined): { code: ProblemCode; detail: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { code: 'REQUEST_TIMEOUT', detail: 'the request was not received in time' };
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { code: 'HEADERS_TOO_LARGE', detail: 'the request headers are too large' };
  }
  return { code: 'MALFORMED_REQUEST', detail: 'the request is not valid HTTP/1.1' };
}

/**
 * The server's `clientError` listener: HTTP that node refuses before any handler runs (junk, an
 * oversized header block, a request not received within the request timeout) gets a
 * problem+json answer and the connection is closed. Where an answer could corrupt the stream
 * (the socket is gone, or a response on it has begun), the socket is just destroyed, as node
 * itself does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const { code, detail } = problemFor(error.code);
  const body = JSON.stringify(problemBody(code, detail));
  const status = problemBody(code, detail).status;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  // A client that does not read its answer must not keep the socket: destroy it soon after.
  setTimeout(() => socket.destroy(), 1_000).unref();
}
