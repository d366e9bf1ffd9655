import { isIP } from 'node:net';

/**
 * Where a sandbox payment's `notice_url` may send webhooks: loopback (the service or a test sink
 * on this machine) or an origin of SANDBOX_NOTICE_URL_ALLOW. Anything else would let whoever
 * can reach the sandbox make it POST into the network it runs in (cloud metadata, internal
 * services). Judged by the URL's host as written: a name is allowed only as `localhost` or
 * through the allow-list, so no name can resolve its way in.
 */
export function noticeUrlPolicy(allowedOrigins: readonly string[]): (url: string) => boolean {
  const allowed = new Set(allowedOrigins);
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    return isLoopback(parsed.hostname) || allowed.has(parsed.origin);
  };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  // WHATWG URL writes IPv6 compressed and an IPv4-mapped 127.x.y.z as ::ffff:7fxx:yyzz.
  if (isIP(host) === 6) return host === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
  return false;
}
