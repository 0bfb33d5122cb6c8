// People of the shop and their roles: invite someone (invitations.tsx), change a role, remove a member.
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { Invitations } from './invitations'

type Role = Schemas['Role']
const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer']

/** The members page; `me` is the signed-in member (they cannot remove themselves here). */
export function MembersPage(props: { me: Schemas['Me'] }) {
  const members = useResource(() => api.get('/v1/members'), [])
  const { error, act } = useAction(members.reload)
  const manages = props.me.role === 'owner' || props.me.role === 'admin'
  return (
    <section>
      <PageHeader title="Members" />
      <ErrorBanner error={error ?? members.error} />
      {manages ? <Invitations /> : null}
      <h2>Current members</h2>
      {members.data === undefined ? (
        <Skeleton rows={3} label="Loading members" />
      ) : members.data.data.length === 0 ? (
        <EmptyState title="No members" />
      ) : (
        <ul class="member-list">
          {members.data.data.map((member) => (
            <li key={member.user.id} class="card">
              <div>
                <strong>{member.user.name ?? member.user.email}</strong>
                <small class="muted">
                  {member.user.email} · joined {new Date(member.joinedAt).toLocaleDateString()}
                </small>
              </div>
              <Field label={`Role of ${member.user.email}`}>
                {(id) => (
                  <select
                    id={id}
                    value={member.role}
                    onChange={(e) => void act(() => api.patch('/v1/members/{userId}', { path: { userId: member.user.id }, body: { role: e.currentTarget.value as Role } }))}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {member.user.id === props.me.user.id ? (
                <small class="muted">You</small>
              ) : (
                <button
                  type="button"
                  class="danger"
                  aria-label={`Remove ${member.user.email}`}
                  onClick={() => confirm(`Remove ${member.user.email} from the shop?`) && void act(() => api.delete('/v1/members/{userId}', { path: { userId: member.user.id } }))}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
