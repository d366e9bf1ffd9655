import { COMMANDS, READS } from '../routes';
import { PathMatcher } from '../routing/path-pattern';

/**
 * The route template a request path belongs to (`/v1/payments/:orderId`), for log lines and
 * metric labels: a bounded set, so ids never become label values. Paths of no route table go
 * under their mount (`/sandbox/toss/*`) or count as `unmatched`.
 */
export function routeTemplates(mountPaths: readonly string[] = [], extra: readonly string[] = []) {
  const gets = new PathMatcher(
    [...READS.map((r) => r.path), ...extra].map((p) => [p, p] as [string, string]),
  );
  const posts = new PathMatcher(COMMANDS.map((r) => [r.path, r.path] as [string, string]));
  const mounts = [...mountPaths].sort((a, b) => b.length - a.length);
  return (method: string | undefined, url: string | undefined): string => {
    const raw = url ?? '/';
    const q = raw.indexOf('?');
    let path = q === -1 ? raw : raw.slice(0, q);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const matcher = method === 'POST' ? posts : method === 'GET' || method === 'HEAD' ? gets : null;
    const matched = matcher?.match(path);
    if (matched) return matched.value;
    const mount = mounts.find((m) => path === m || path.startsWith(`${m}/`));
    return mount === undefined ? 'unmatched' : `${mount}/*`;
  };
}
