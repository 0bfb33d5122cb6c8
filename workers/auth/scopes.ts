// Who may do what: roles of members, scopes of credentials, and how roles map to scopes.
import type { ApiScope } from '../db/schema/credentials'
import type { MemberRole } from '../db/schema/tenants'

/** viewer→read, member→read+write, admin/owner→admin (the mapping). */
export const ROLE_SCOPES: Record<MemberRole, readonly ApiScope[]> = {
  owner: ['admin'],
  admin: ['admin'],
  member: ['read', 'write'],
  viewer: ['read'],
}

/** True when `granted` covers `needed`; `admin` covers everything of the tenant. */
export function hasScope(granted: readonly ApiScope[], needed: ApiScope): boolean {
  return granted.includes('admin') || granted.includes(needed)
}

/** Roles that may manage members, keys and settings. */
export function isManager(role: MemberRole): boolean {
  return role === 'owner' || role === 'admin'
}
