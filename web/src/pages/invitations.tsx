// Invitations on the Members page: the invite form (the single-use link is shown to copy) and the open invitations
// with a revoke button.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { ErrorBanner, Field, TextField } from '../components/ui'
import { useAction } from '../use-action'
import { useResource } from '../use-resource'

type Role = Schemas['Role']
const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer']

function InvitationLink(props: { created: Schemas['CreatedInvitation']; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="card created-key" role="region" aria-label="Invitation link">
      <p>
        <strong>Send this link to {props.created.email}.</strong> It works once, for 7 days, and is shown only now.
      </p>
      <code class="secret" data-testid="invitation-url">
        {props.created.url}
      </code>
      <div class="form-actions">
        <button type="button" class="primary" onClick={() => void navigator.clipboard.writeText(props.created.url).then(() => setCopied(true), () => setCopied(false))}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
        <button type="button" onClick={props.onDone}>
          Done
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
        <h2>Invite someone</h2>
        <TextField label="Email to invite" type="email" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
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
          Create invitation
        </button>
      </form>
      {open.length > 0 ? (
        <>
          <h2>Open invitations</h2>
          <ul class="member-list" aria-label="Open invitations">
            {open.map((invitation) => (
              <li key={invitation.id} class="card">
                <div>
                  <strong>{invitation.email}</strong>
                  <small class="muted">
                    {invitation.role} · {invitation.status === 'expired' ? 'expired' : `expires ${new Date(invitation.expiresAt).toLocaleDateString()}`}
                  </small>
                </div>
                <button
                  type="button"
                  class="danger"
                  aria-label={`Revoke the invitation of ${invitation.email}`}
                  onClick={() => void act(() => api.delete('/v1/members/invitations/{id}', { path: { id: invitation.id } }))}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  )
}
