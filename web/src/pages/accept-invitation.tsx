// The page an invitation link opens (/invite/<token>): join with the signed-in account, sign in first, or create an
// account with a password of one's own. Also the page of a verification link (/verify-email/<token>).
import { useEffect, useState } from 'preact/hooks'
import { api } from '../api/client'
import { fieldErrors } from '../api/errors'
import type { Schemas } from '../api/schema'
import { acceptTokens, currentAccessToken } from '../api/session'
import { ErrorBanner, TextField } from '../components/ui'
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
        <h1>Join a shop on Vitrina</h1>
        <ErrorBanner error={error} />
        {props.me && currentAccessToken() ? (
          <>
            <p>You are signed in as {props.me.user.email}. The invitation must be for this address.</p>
            <button class="primary" type="button" disabled={busy} onClick={() => void join()}>
              Accept as {props.me.user.email}
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
              <h2>New to Vitrina</h2>
              <TextField
                label="Choose a password"
                type="password"
                autocomplete="new-password"
                required
                minLength={8}
                hint="At least 8 characters"
                value={password}
                error={issues.password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
              <button class="primary" type="submit" disabled={busy}>
                Create account and join
              </button>
            </form>
            <form
              onSubmit={(event) => {
                event.preventDefault()
                void signInThenJoin()
              }}
              noValidate
            >
              <h2>Already have an account</h2>
              <TextField label="Email" type="email" autocomplete="username" required value={email} error={issues.email} onInput={(e) => setEmail(e.currentTarget.value)} />
              <TextField
                label="Password"
                type="password"
                autocomplete="current-password"
                required
                value={existingPassword}
                onInput={(e) => setExistingPassword(e.currentTarget.value)}
              />
              <button type="submit" disabled={busy}>
                Sign in and join
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  )
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
        <h1>Confirm your email</h1>
        {state !== null && 'email' in state ? (
          <p>{state.email} is confirmed.</p>
        ) : (
          <>
            <ErrorBanner error={state?.error ?? null} />
            {signedIn ? (
              <p>Checking the link…</p>
            ) : (
              <form onSubmit={(event) => void signInThenVerify(event)} noValidate>
                <p>Sign in to the account this link was sent for.</p>
                <TextField label="Email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
                <TextField label="Password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
                <button class="primary" type="submit">
                  Sign in and confirm
                </button>
              </form>
            )}
          </>
        )}
        <a href="/">Go to Vitrina</a>
      </div>
    </main>
  )
}
