// People of the shop and their roles: invite someone (invitations.tsx), change a role, remove a member.
import { api } from '../api/client'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, Field, PageHeader, Skeleton } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatDate } from '../i18n/format'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'
import { Invitations } from './invitations'

type Role = Schemas['Role']
const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer']
const ROLE_LABELS: Record<Role, MessageKey> = { owner: 'role.owner', admin: 'role.admin', member: 'role.member', viewer: 'role.viewer' }

/** The members page; `me` is the signed-in member (they cannot remove themselves here). */
export function MembersPage(props: { me: Schemas['Me'] }) {
  const members = useResource(() => api.get('/v1/members'), [])
  const { error, act } = useAction(members.reload)
  const manages = props.me.role === 'owner' || props.me.role === 'admin'
  return (
    <section>
      <PageHeader title={t('nav.members')} />
      <ErrorBanner error={error ?? members.error} />
      {manages ? <Invitations /> : null}
      <h2>{t('members.current')}</h2>
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
