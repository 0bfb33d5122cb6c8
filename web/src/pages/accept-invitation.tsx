// The page an invitation link opens (/invite/<token>): join with the signed-in account, sign in first, or create an
// account with a password of one's own. Also the page of a verification link (/verify-email/<token>).
import { useEffect, useState } from 'preact/hooks'
import { api } from '../api/client'
import { ApiError, fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { acceptTokens, currentAccessToken } from '../api/session'
import { ErrorBanner, TextField } from '../components/ui'
import { t } from '../i18n'
import { navigate } from '../router'

type Accepted = Schemas['AcceptedInvitation']

function useJoin(token: string, onSignedIn: (session: Accepted) => void) {
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const join = async (before?: () => Promise<unknown>, body: Schemas['AcceptInvitation'] = {}) => {
    setBusy(true)
    setError(null)
    try {
      if (before) await before()
      const session = await api.post('/v1/invitations/{token}/accept', { path: { token }, body })
      acceptTokens(session)
      onSignedIn(session)
      navigate('/', { replace: true })
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }
  return { error, busy, join }
}

/** Accepting an invitation; `me` is the signed-in member, if any. */
export function AcceptInvitationPage(props: { token: string; me: Schemas['Me'] | null; onSignedIn: (session: Accepted) => void }) {
  const { error, busy, join } = useJoin(props.token, props.onSignedIn)
  const [password, setPassword] = useState('')
  const [email, setEmail] = useState('')
  const [existingPassword, setExistingPassword] = useState('')
  const issues = fieldErrors(error)
  const signInThenJoin = () =>
    join(async () => {
      const session = await api.post('/v1/auth/login', { body: { email, password: existingPassword } })
      acceptTokens(session)
    })
  return (
    <main class="auth">
      <div class="card auth-card">
        <h1>{t('acceptInvitation.title')}</h1>
        <ErrorBanner error={error} />
        {props.me && currentAccessToken() ? (
          <>
            <p>{t('acceptInvitation.signedInAs', { email: props.me.user.email })}</p>
            <button class="primary" type="button" disabled={busy} onClick={() => void join()}>
              {t('acceptInvitation.acceptAs', { email: props.me.user.email })}
            </button>
          </>
        ) : (
          <>
            <form
              onSubmit={(event) => {
                event.preventDefault()
                void join(undefined, { password })
              }}
              noValidate
            >
              <h2>{t('acceptInvitation.newHere')}</h2>
              <TextField
                label={t('acceptInvitation.choosePassword')}
                type="password"
                autocomplete="new-password"
                required
                minLength={8}
                hint={t('auth.passwordHint')}
                value={password}
                error={issues.password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
              <button class="primary" type="submit" disabled={busy}>
                {t('acceptInvitation.createAndJoin')}
              </button>
            </form>
            <form
              onSubmit={(event) => {
                event.preventDefault()
                void signInThenJoin()
              }}
              noValidate
            >
              <h2>{t('acceptInvitation.haveAccount')}</h2>
              <TextField label={t('auth.email')} type="email" autocomplete="username" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
              <TextField
                label={t('auth.password')}
                type="password"
                autocomplete="current-password"
                required
                value={existingPassword}
                onInput={(e) => setExistingPassword(e.currentTarget.value)}
              />
              <button type="submit" disabled={busy}>
                {t('acceptInvitation.signInAndJoin')}
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  )
}

/** A refused verification token (`invalid_request` on `token`) as one sentence; other errors as the invitation pages show them. */
function verificationError(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request' || !Array.isArray(error.details)) return error
  const onToken = error.details.some((issue: unknown) => typeof issue === 'object' && issue !== null && 'path' in issue && issue.path === 'token')
  return onToken ? new ApiError(error.status, { code: 'invalid_verification_link', message: t('verifyEmail.invalidLink') }) : error
}

/** Uses a verification link once, signed in as the account it was sent to (signing in here first when needed). */
export function VerifyEmailPage(props: { token: string; me: Schemas['Me'] | null }) {
  const [state, setState] = useState<{ email: string } | { error: unknown } | null>(null)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const verify = () =>
    api.post('/v1/auth/verify-email', { body: { token: props.token } }).then(
      (verified) => setState({ email: verified.email }),
      (error: unknown) => setState({ error }),
    )
  useEffect(() => {
    if (props.me && currentAccessToken()) void verify()
  }, [props.token, props.me])
  const signInThenVerify = async (event: Event) => {
    event.preventDefault()
    try {
      acceptTokens(await api.post('/v1/auth/login', { body: { email, password } }))
      await verify()
    } catch (error) {
      setState({ error })
    }
  }
  const signedIn = props.me !== null && currentAccessToken() !== null
  return (
    <main class="auth">
      <div class="card auth-card">
        <h1>{t('verifyEmail.title')}</h1>
        {state !== null && 'email' in state ? (
          <p>{t('verifyEmail.confirmed', { email: state.email })}</p>
        ) : (
          <>
            <ErrorBanner error={verificationError(state?.error ?? null)} />
            {signedIn ? (
              <p>{t('verifyEmail.checking')}</p>
            ) : (
              <form onSubmit={(event) => void signInThenVerify(event)} noValidate>
                <p>{t('verifyEmail.signInFirst')}</p>
                <TextField label={t('auth.email')} type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
                <TextField label={t('auth.password')} type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
                <button class="primary" type="submit">
                  {t('verifyEmail.signInAndConfirm')}
                </button>
              </form>
            )}
          </>
        )}
        <a href="/">{t('verifyEmail.home')}</a>
      </div>
    </main>
  )
}
