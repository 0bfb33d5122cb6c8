// Storefront API keys: create one with scopes (the key is shown once, with a copy button), list and revoke.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { EmptyState, ErrorBanner, PageHeader, Skeleton, TextField } from '../components/ui'
import { useResource } from '../use-resource'

type Scope = Schemas['ApiKey']['scopes'][number]
const SCOPES: { scope: Scope; help: string }[] = [
  { scope: 'read', help: 'catalog, search, stock checks, chat' },
  { scope: 'write', help: 'stock changes, carts, orders' },
  { scope: 'admin', help: 'everything of the shop' },
]

function CreatedKey(props: { created: Schemas['CreatedApiKey']; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  return (
    <div class="card created-key" role="region" aria-label="New API key">
      <p>
        <strong>Copy the key of “{props.created.name}” now.</strong> It is shown only once; Vitrina keeps only a hash.
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
          {copied ? 'Copied' : 'Copy key'}
        </button>
        <button type="button" onClick={props.onDone}>
          I have stored it
        </button>
      </div>
    </div>
  )
}

/** The API keys page (admins). */
export function ApiKeysPage() {
  const keys = useResource(() => api.get('/v1/api-keys', { query: { limit: 100 } }), [])
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>(['read'])
  const [created, setCreated] = useState<Schemas['CreatedApiKey'] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const issues = fieldErrors(error)

  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      setCreated(await api.post('/v1/api-keys', { body: { name, scopes } }))
      setName('')
      keys.reload()
    } catch (caught) {
      setError(caught)
    }
  }
  const revoke = async (key: Schemas['ApiKey']) => {
    if (!confirm(`Revoke “${key.name}”? Storefronts using it stop working within 30 seconds.`)) return
    setError(null)
    try {
      await api.delete('/v1/api-keys/{id}', { path: { id: key.id } })
      keys.reload()
    } catch (caught) {
      setError(caught)
    }
  }

  return (
    <section>
      <PageHeader title="API keys" />
      <ErrorBanner error={error ?? keys.error} />
      {created ? <CreatedKey created={created} onDone={() => setCreated(null)} /> : null}
      <form class="card inline-form" onSubmit={create} noValidate>
        <h2>New key</h2>
        <TextField label="Key name" required value={name} error={issues.name} placeholder="Storefront" onInput={(e) => setName(e.currentTarget.value)} />
        <fieldset class="checks">
          <legend>Scopes</legend>
          {SCOPES.map(({ scope, help }) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />{' '}
              {scope} <small class="muted">({help})</small>
            </label>
          ))}
          {issues.scopes ? <small class="field-error">{issues.scopes}</small> : null}
        </fieldset>
        <button class="primary" type="submit">
          Create key
        </button>
      </form>
      <h2>Active keys</h2>
      {keys.data === undefined ? (
        <Skeleton rows={3} label="Loading keys" />
      ) : keys.data.data.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p>Storefronts call the API with a key; create one above.</p>
        </EmptyState>
      ) : (
        <ul class="key-list">
          {keys.data.data.map((key) => (
            <li key={key.id} class="card">
              <div>
                <strong>{key.name}</strong> <code>{key.prefix}…</code>
                <small class="muted">
                  {key.scopes.join(', ')} · created {new Date(key.createdAt).toLocaleDateString()} · {key.lastUsedAt ? `last used ${new Date(key.lastUsedAt).toLocaleString()}` : 'never used'}
                </small>
              </div>
              <button type="button" class="danger" onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
