import { API_KEY_SCOPES } from '../../../src/application/api-key/api-key-scopes';
import { SCOPE_OF_ROUTE, scopeForRoute } from '../../../src/interfaces/http/auth/api-key-access';
import type { Principal } from '../../../src/interfaces/http/auth/jwt';
import { ROUTES } from '../../../src/interfaces/http/routes';
import { accessDenial } from '../../../src/interfaces/http/routing/authorize';

const route = (method: string, path: string) => {
  const found = ROUTES.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
};
const key = (...scopes: (typeof API_KEY_SCOPES)[number][]): Principal => ({
  userId: 'api-key:0123456789abcdef',
  role: 'admin',
  apiKey: { id: '0123456789abcdef', scopes },
});

describe('API key access', () => {
  it('grants every scope on at least one route of the tables, and only on authenticated ones', () => {
    const granted = ROUTES.filter((r) => r.access !== 'public').map((r) => scopeForRoute(r.method, r.path));
    for (const scope of API_KEY_SCOPES) expect(granted).toContain(scope);
  });

  it('names only routes of the tables, so renaming a route cannot silently drop a grant', () => {
    for (const entry of Object.keys(SCOPE_OF_ROUTE)) {
      const [method, path] = entry.split(' ') as [string, string];
      expect(route(method, path).access).not.toBe('public');
    }
  });

  it('lets a key call a route its scope names, and nothing else', () => {
    expect(accessDenial(route('GET', '/v1/payments/:orderId'), key('payments:read'))).toBeNull();
    expect(accessDenial(route('GET', '/v1/orders/:orderId'), key('payments:read'))).toBe(
      'this API key lacks the scope orders:read',
    );
    expect(accessDenial(route('POST', '/v1/orders'), key(...API_KEY_SCOPES))).toBe(
      'an API key cannot call this route',
    );
    expect(accessDenial(route('GET', '/v1/plans'), key())).toBeNull();
  });

  it('still judges tokens by role', () => {
    const user: Principal = { userId: 'u1', role: 'user' };
    expect(accessDenial(route('POST', '/v1/orders'), user)).toBeNull();
    expect(accessDenial(route('GET', '/v1/admin/api-keys'), user)).toBe(
      'this action requires the role admin',
    );
  });
});
