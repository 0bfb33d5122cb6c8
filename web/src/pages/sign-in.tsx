// The sign-in and sign-up forms: both end with a session (tokens accepted) and the dashboard.
import { useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { acceptTokens } from '../api/session'
import { LocaleSwitch } from '../components/locale-switch'
import { ErrorBanner, TextField } from '../components/ui'
import { t } from '../i18n'
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
        <div class="auth-locale">
          <LocaleSwitch signedIn={false} />
        </div>
        <h1>{t('auth.signInTitle')}</h1>
        <ErrorBanner error={error} />
        <TextField label={t('auth.email')} type="email" autocomplete="username" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <TextField label={t('auth.password')} type="password" autocomplete="current-password" required value={password} error={issues.password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button class="primary" type="submit" disabled={busy}>
          {t('auth.signIn')}
        </button>
        <p>
          {t('auth.newHere')}{' '}
          <a href="/signup" onClick={linkClick}>
            {t('auth.createAccountLink')}
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
        <div class="auth-locale">
          <LocaleSwitch signedIn={false} />
        </div>
        <h1>{t('auth.signUpTitle')}</h1>
        <ErrorBanner error={error} />
        <TextField label={t('auth.email')} type="email" autocomplete="username" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <TextField
          label={t('auth.password')}
          type="password"
          autocomplete="new-password"
          required
          minLength={8}
          hint={t('auth.passwordHint')}
          value={password}
          error={issues.password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <TextField label={t('auth.shopName')} required value={tenantName} error={issues.tenantName} onInput={(e) => setTenantName(e.currentTarget.value)} />
        <button class="primary" type="submit" disabled={busy}>
          {t('auth.createAccount')}
        </button>
        <p>
          {t('auth.haveAccount')}{' '}
          <a href="/signin" onClick={linkClick}>
            {t('auth.signIn')}
          </a>
        </p>
      </form>
    </main>
  )
}
