/**
 * A comma-separated list of web origins (`https://shop.example.com`, `http://localhost:5173`):
 * scheme, host and port only, as a browser sends them in `Origin`. Used by CORS_ORIGINS and
 * SANDBOX_NOTICE_URL_ALLOW. No wildcards: an allow-list names what it allows.
 */
export type OriginList = { ok: true; origins: string[] } | { ok: false; problem: string };

export function parseOriginList(value: string | undefined): OriginList {
  if (value === undefined) return { ok: true, origins: [] };
  const origins: string[] = [];
  for (const item of value.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const origin = originOf(item);
    // Quoting the item is safe: an origin is not a secret (and a URL with credentials is refused).
    if (origin === null) {
      return {
        ok: false,
        problem: `"${item.slice(0, 100)}" is not an origin (http:// or https://, a host, an optional port, no path)`,
      };
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return { ok: true, origins };
}

/** The canonical origin of `item`, or null unless it is exactly one (no path, query or credentials). */
function originOf(item: string): string | null {
  let url: URL;
  try {
    url = new URL(item);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' || /^[a-z]+:\/\/[^/]+\/./i.test(item)) return null;
  return url.origin;
}
