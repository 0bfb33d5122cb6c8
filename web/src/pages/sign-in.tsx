// The sign-in and sign-up forms: both end with a session (tokens accepted) and the dashboard.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { acceptTokens } from '../api/session'
import { ErrorBanner, TextField } from '../components/ui'
import { linkClick, navigate } from '../router'

type Session = Schemas['Session']

function useSubmit(submit: () => Promise<Session>, onSignedIn: (session: Session) => void) {
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const onSubmit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const session = await submit()
      acceptTokens(session)
      onSignedIn(session)
      navigate('/', { replace: true })
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }
  return { error, busy, onSubmit }
}

/** Email and password sign-in. */
export function SignInPage(props: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { error, busy, onSubmit } = useSubmit(() => api.post('/v1/auth/login', { body: { email, password } }), props.onSignedIn)
  const issues = fieldErrors(error)
  return (
    <main class="auth">
      <form class="card auth-card" onSubmit={onSubmit} noValidate>
        <h1>Sign in to Vitrina</h1>
        <ErrorBanner error={error} />
        <TextField label="Email" type="email" autocomplete="username" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <TextField label="Password" type="password" autocomplete="current-password" required value={password} error={issues.password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button class="primary" type="submit" disabled={busy}>
          Sign in
        </button>
        <p>
          New here?{' '}
          <a href="/signup" onClick={linkClick}>
            Create an account
          </a>
        </p>
      </form>
    </main>
  )
}

/** Account and shop creation: the labels and button the onboarding guide refers to. */
export function SignUpPage(props: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [tenantName, setTenantName] = useState('')
  const { error, busy, onSubmit } = useSubmit(() => api.post('/v1/auth/register', { body: { email, password, tenantName } }), props.onSignedIn)
  const issues = fieldErrors(error)
  return (
    <main class="auth">
      <form class="card auth-card" onSubmit={onSubmit} noValidate>
        <h1>Create your shop</h1>
        <ErrorBanner error={error} />
        <TextField label="Email" type="email" autocomplete="username" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <TextField
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters"
          value={password}
          error={issues.password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <TextField label="Shop name" required value={tenantName} error={issues.tenantName} onInput={(e) => setTenantName(e.currentTarget.value)} />
        <button class="primary" type="submit" disabled={busy}>
          Create account
        </button>
        <p>
          Already have an account?{' '}
          <a href="/signin" onClick={linkClick}>
            Sign in
          </a>
        </p>
      </form>
    </main>
  )
}
