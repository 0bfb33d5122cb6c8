// Invitations on the Members page: the invite form (the single-use link is shown to copy) and the open invitations
// with a revoke button.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { ErrorBanner, Field, TextField } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatDate } from '../i18n/format'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Role = Schemas['Role']
const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer']
const ROLE_LABELS: Record<Role, MessageKey> = { owner: 'role.owner', admin: 'role.admin', member: 'role.member', viewer: 'role.viewer' }
/** How long an invitation link works (the API's invitation lifetime). */
const INVITATION_DAYS = 7

function InvitationLink(props: { created: Schemas['CreatedInvitation']; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="card created-key" role="region" aria-label={t('invitations.linkRegion')}>
      <p>
        <strong>{t('invitations.sendLink', { email: props.created.email })}</strong> {t('invitations.linkOnce', { count: INVITATION_DAYS })}
      </p>
      <code class="secret" data-testid="invitation-url">
        {props.created.url}
      </code>
      <div class="form-actions">
        <button type="button" class="primary" onClick={() => void navigator.clipboard.writeText(props.created.url).then(() => setCopied(true), () => setCopied(false))}>
          {copied ? t('invitations.copied') : t('invitations.copy')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('invitations.done')}
        </button>
      </div>
    </div>
  )
}

/** The invite form and the list of open invitations (owners and admins). */
export function Invitations() {
  const invitations = useResource(() => api.get('/v1/members/invitations', { query: { limit: 100 } }), [])
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('member')
  const [created, setCreated] = useState<Schemas['CreatedInvitation'] | null>(null)
  const { error, act } = useAction(invitations.reload)
  const issues = fieldErrors(error)
  const send = (event: Event) => {
    event.preventDefault()
    void act(async () => {
      setCreated(await api.post('/v1/members/invitations', { body: { email, role } }))
      setEmail('')
    })
  }
  const open = invitations.data?.data ?? []
  return (
    <>
      <ErrorBanner error={error ?? invitations.error} />
      {created ? <InvitationLink created={created} onDone={() => setCreated(null)} /> : null}
      <form class="card inline-form" onSubmit={send} noValidate>
        <h2>{t('invitations.title')}</h2>
        <TextField label={t('invitations.email')} type="email" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field label={t('invitations.role')} error={issues.role}>
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
          {t('invitations.create')}
        </button>
      </form>
      {open.length > 0 ? (
        <>
          <h2>{t('invitations.open')}</h2>
          <ul class="member-list" aria-label={t('invitations.open')}>
            {open.map((invitation) => (
              <li key={invitation.id} class="card">
                <div>
                  <strong>{invitation.email}</strong>
                  <small class="muted">
                    {t('invitations.meta', {
                      role: t(ROLE_LABELS[invitation.role]),
                      status: invitation.status === 'expired' ? t('invitations.expired') : t('invitations.expiresOn', { date: formatDate(invitation.expiresAt) }),
                    })}
                  </small>
                </div>
                <button
                  type="button"
                  class="danger"
                  aria-label={t('invitations.revokeNamed', { email: invitation.email })}
                  onClick={() => void act(() => api.delete('/v1/members/invitations/{id}', { path: { id: invitation.id } }))}
                >
                  {t('invitations.revoke')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  )
}
