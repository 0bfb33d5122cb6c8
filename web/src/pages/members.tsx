// People of the shop and their roles: add someone, change a role, remove a member.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Role = Schemas['Role']
const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer']

/** The members page; `me` is the signed-in member (they cannot remove themselves here). */
export function MembersPage(props: { me: Schemas['Me'] }) {
  const members = useResource(() => api.get('/v1/members'), [])
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<Role>('member')
  const { error, act } = useAction(members.reload)
  const issues = fieldErrors(error)
  const add = (event: Event) => {
    event.preventDefault()
    void act(async () => {
      await api.post('/v1/members', { body: { email, role, ...(password ? { password } : {}) } })
      setEmail('')
      setPassword('')
    })
  }
  return (
    <section>
      <PageHeader title="Members" />
      <ErrorBanner error={error ?? members.error} />
      <form class="card inline-form" onSubmit={add} noValidate>
        <h2>Add a member</h2>
        <TextField label="Member email" type="email" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <TextField
          label="Initial password"
          type="password"
          autocomplete="new-password"
          hint="Only for someone without an account"
          value={password}
          error={issues.password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Field label="Role" error={issues.role}>
          {(id) => (
            <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button class="primary" type="submit">
          Add member
        </button>
      </form>
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
