// People of the shop and their roles: add someone, change a role, remove a member.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton, TextField } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatDate } from '../i18n/format'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Role = Schemas['Role']
const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer']
const ROLE_LABELS: Record<Role, MessageKey> = { owner: 'role.owner', admin: 'role.admin', member: 'role.member', viewer: 'role.viewer' }

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
      <PageHeader title={t('nav.members')} />
      <ErrorBanner error={error ?? members.error} />
      <form class="card inline-form" onSubmit={add} noValidate>
        <h2>{t('members.add')}</h2>
        <TextField label={t('members.email')} type="email" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <TextField
          label={t('members.initialPassword')}
          type="password"
          autocomplete="new-password"
          hint={t('members.initialPasswordHint')}
          value={password}
          error={issues.password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <Field label={t('members.role')} error={issues.role}>
          {(id) => (
            <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(ROLE_LABELS[r])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button class="primary" type="submit">
          {t('members.addButton')}
        </button>
      </form>
      {members.data === undefined ? (
        <Skeleton rows={3} label={t('members.loading')} />
      ) : members.data.data.length === 0 ? (
        <EmptyState title={t('members.empty')} />
      ) : (
        <ul class="member-list">
          {members.data.data.map((member) => (
            <li key={member.user.id} class="card">
              <div>
                <strong>{member.user.name ?? member.user.email}</strong>
                <small class="muted">
                  {t('members.joined', { email: member.user.email, date: formatDate(member.joinedAt) })}
                </small>
              </div>
              <Field label={t('members.roleOf', { email: member.user.email })}>
                {(id) => (
                  <select
                    id={id}
                    value={member.role}
                    onChange={(e) => void act(() => api.patch('/v1/members/{userId}', { path: { userId: member.user.id }, body: { role: e.currentTarget.value as Role } }))}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(ROLE_LABELS[r])}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {member.user.id === props.me.user.id ? (
                <small class="muted">{t('members.you')}</small>
              ) : (
                <button
                  type="button"
                  class="danger"
                  aria-label={t('members.removeNamed', { email: member.user.email })}
                  onClick={() => confirm(t('members.confirmRemove', { email: member.user.email })) && void act(() => api.delete('/v1/members/{userId}', { path: { userId: member.user.id } }))}
                >
                  {t('members.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
