// Storefront API keys: create one with scopes and an optional expiry (the key is shown once, with a copy button), list
// active and revoked keys (revoked ones greyed, for the audit trail) and revoke with a confirmation.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, PageHeader, Skeleton, TextField } from '../components/ui'
import { t, type MessageKey } from '../i18n'
import { formatDate, formatDateTime } from '../i18n/format'
import { useResource } from '../use-resource'

type Scope = Schemas['ApiKey']['scopes'][number]
/** Scopes a secret key can be created with (publishable keys carry the fixed `storefront` scope). */
type SecretScope = Exclude<Scope, 'storefront'>
type ApiKey = Schemas['ApiKey']
const SCOPES: { scope: SecretScope; label: MessageKey; help: MessageKey }[] = [
  { scope: 'read', label: 'keys.scope.read', help: 'keys.scope.readHelp' },
  { scope: 'write', label: 'keys.scope.write', help: 'keys.scope.writeHelp' },
  { scope: 'admin', label: 'keys.scope.admin', help: 'keys.scope.adminHelp' },
]
const SCOPE_LABEL: Record<Scope, MessageKey> = { read: 'keys.scope.read', write: 'keys.scope.write', admin: 'keys.scope.admin', storefront: 'keys.scope.storefront' }

/** The end of the chosen day in the browser's time zone, as the API's ISO timestamp. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString()
}

function today(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

function CreatedKey(props: { created: Schemas['CreatedApiKey']; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="card created-key" role="region" aria-label={t('keys.newKeyRegion')}>
      <p>
        <strong>{t('keys.copyNow', { name: props.created.name })}</strong> {t('keys.shownOnce')}
      </p>
      <code class="secret" data-testid="new-key">
        {props.created.key}
      </code>
      <div class="form-actions">
        <button
          type="button"
          class="primary"
          onClick={() => void navigator.clipboard.writeText(props.created.key).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? t('keys.copied') : t('keys.copy')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('keys.stored')}
        </button>
      </div>
    </div>
  )
}

function keyStatus(key: ApiKey): string {
  if (key.revokedAt) return t('keys.revokedOn', { date: formatDate(key.revokedAt) })
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return t('keys.expiredOn', { date: formatDate(key.expiresAt) })
  if (key.expiresAt) return t('keys.expiresOn', { date: formatDate(key.expiresAt) })
  return t('keys.noExpiry')
}

function KeyRow(props: { apiKey: ApiKey; onRevoke: (key: ApiKey) => void }) {
  const key = props.apiKey
  const inactive = key.revokedAt !== null || (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now())
  return (
    <li class={`card${inactive ? ' key--revoked' : ''}`} data-revoked={key.revokedAt ? 'true' : undefined}>
      <div>
        <strong>{key.name}</strong> <code>{key.prefix}…</code>
        <small class="muted">
          {t('keys.meta', {
            scopes: key.scopes.map((scope) => t(SCOPE_LABEL[scope])).join(', '),
            created: formatDate(key.createdAt),
            used: key.lastUsedAt ? t('keys.lastUsed', { date: formatDateTime(key.lastUsedAt) }) : t('keys.neverUsed'),
            status: keyStatus(key),
          })}
        </small>
      </div>
      {key.revokedAt ? null : (
        <button type="button" class="danger" onClick={() => props.onRevoke(key)} aria-label={t('keys.revokeNamed', { name: key.name })}>
          {t('keys.revoke')}
        </button>
      )}
    </li>
  )
}

/** The API keys page (admins). */
export function ApiKeysPage() {
  const keys = useResource(() => api.get('/v1/api-keys', { query: { limit: 100, includeRevoked: 'true' } }), [])
  const [name, setName] = useState('')
  const [expires, setExpires] = useState('')
  const [scopes, setScopes] = useState<SecretScope[]>(['read'])
  const [created, setCreated] = useState<Schemas['CreatedApiKey'] | null>(null)
  const [revoked, setRevoked] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const issues = fieldErrors(error)

  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setRevoked(null)
    try {
      setCreated(await api.post('/v1/api-keys', { body: { name, scopes, ...(expires ? { expiresAt: endOfDay(expires) } : {}) } }))
      setName('')
      setExpires('')
      keys.reload()
    } catch (caught) {
      setError(caught)
    }
  }
  const revoke = async (key: ApiKey) => {
    if (!confirm(t('keys.confirmRevoke', { name: key.name }))) return
    setError(null)
    setRevoked(null)
    try {
      await api.delete('/v1/api-keys/{id}', { path: { id: key.id } })
      setRevoked(key.name)
      keys.reload()
    } catch (caught) {
      setError(caught)
    }
  }

  const all = keys.data?.data ?? []
  const active = all.filter((key) => key.revokedAt === null)
  const revokedKeys = all.filter((key) => key.revokedAt !== null)
  return (
    <section>
      <PageHeader title={t('keys.title')} />
      <ErrorBanner error={error ?? keys.error} />
      {revoked ? (
        <p class="banner banner--ok" role="status">
          {t('keys.revokedBanner', { name: revoked })}
        </p>
      ) : null}
      {created ? <CreatedKey created={created} onDone={() => setCreated(null)} /> : null}
      <form class="card inline-form" onSubmit={create} noValidate>
        <h2>{t('keys.newKey')}</h2>
        <TextField label={t('keys.name')} required value={name} error={issues.name} placeholder={t('keys.namePlaceholder')} onInput={(e) => setName(e.currentTarget.value)} />
        <TextField
          label={t('keys.expires')}
          type="date"
          min={today()}
          hint={t('keys.expiresHint')}
          value={expires}
          error={issues.expiresAt}
          onInput={(e) => setExpires(e.currentTarget.value)}
        />
        <fieldset class="checks">
          <legend>{t('keys.scopes')}</legend>
          {SCOPES.map(({ scope, label, help }) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />{' '}
              {t(label)} <small class="muted">{t(help)}</small>
            </label>
          ))}
          {issues.scopes ? <small class="field-error">{issues.scopes}</small> : null}
        </fieldset>
        <button class="primary" type="submit">
          {t('keys.create')}
        </button>
      </form>
      <h2>{t('keys.active')}</h2>
      {keys.data === undefined ? (
        <Skeleton rows={3} label={t('keys.loading')} />
      ) : active.length === 0 ? (
        <EmptyState title={t('keys.empty')}>
          <p>{t('keys.emptyText')}</p>
        </EmptyState>
      ) : (
        <ul class="key-list">
          {active.map((key) => (
            <KeyRow key={key.id} apiKey={key} onRevoke={(k) => void revoke(k)} />
          ))}
        </ul>
      )}
      {revokedKeys.length > 0 ? (
        <>
          <h2>{t('keys.revokedTitle')}</h2>
          <ul class="key-list" aria-label={t('keys.revokedTitle')}>
            {revokedKeys.map((key) => (
              <KeyRow key={key.id} apiKey={key} onRevoke={(k) => void revoke(k)} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
