import { roleFromClaims } from '../../../src/interfaces/http/auth/role-claim';

describe('roleFromClaims', () => {
  it('reads a plain claim', () => {
    expect(roleFromClaims({ role: 'admin' }, 'role')).toBe('admin');
  });

  it('reads a namespaced claim whose name has dots before trying a path', () => {
    expect(
      roleFromClaims({ 'https://ledgerline.example/role': 'auditor' }, 'https://ledgerline.example/role'),
    ).toBe('auditor');
  });

  it('follows a dot path into nested objects (Keycloak realm_access.roles)', () => {
    expect(
      roleFromClaims({ realm_access: { roles: ['uma_authorization', 'admin'] } }, 'realm_access.roles'),
    ).toBe('admin');
  });

  it('takes the least powerful of ours from a list, whatever its order', () => {
    expect(roleFromClaims({ roles: ['admin', 'user'] }, 'roles')).toBe('user');
    expect(roleFromClaims({ roles: ['auditor', 'admin'] }, 'roles')).toBe('admin');
  });

  it.each([
    ['a missing claim', {}],
    ['an unknown role', { role: 'root' }],
    ['a list without our roles', { role: ['offline_access'] }],
    ['a number', { role: 1 }],
    ['an object', { role: { admin: true } }],
    ['a path through an array', { role: [{ x: 'admin' }] }],
  ])('finds no role in %s', (_case, claims) => {
    expect(roleFromClaims(claims, 'role')).toBeNull();
  });

  it('does not walk into inherited properties', () => {
    expect(roleFromClaims({ a: {} }, 'a.constructor')).toBeNull();
  });
});
