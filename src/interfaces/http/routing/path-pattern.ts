/** A route path with `:name` segments, matched against a request path. */
export interface PathPattern<T> {
  value: T;
  segments: string[];
}

/**
 * Routes by path: exact paths in a map, `:name` paths tried in order. A match gives the
 * decoded parameters; a malformed or empty parameter is no match (Express then answers it).
 */
export class PathMatcher<T> {
  private readonly exact = new Map<string, T>();
  private readonly patterns: PathPattern<T>[] = [];

  constructor(entries: Iterable<[string, T]>) {
    for (const [path, value] of entries) {
      if (path.includes('/:')) this.patterns.push({ value, segments: path.split('/') });
      else if (!this.exact.has(path)) this.exact.set(path, value);
    }
  }

  match(path: string): { value: T; params: Record<string, string> } | null {
    const exact = this.exact.get(path);
    if (exact !== undefined) return { value: exact, params: {} };
    if (this.patterns.length === 0) return null;
    const parts = path.split('/');
    for (const { value, segments } of this.patterns) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const segment = segments[i];
        if (segment.startsWith(':')) {
          const decoded = decodeSegment(parts[i]);
          if (decoded === null || decoded === '') ok = false;
          else params[segment.slice(1)] = decoded;
        } else ok = segment === parts[i];
      }
      if (ok) return { value, params };
    }
    return null;
  }
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
