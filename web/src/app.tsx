// The admin shell: resumes a stored session, shows sign-in or sign-up when signed out, and otherwise the navigation
// and the page of the current path.
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { api } from './api/client'
import type { Schemas } from './api/schema'
import { clearTokens, onSessionChange, refreshAccessToken } from './api/session'
import { Skeleton } from './components/ui'
import { AcceptInvitationPage, VerifyEmailPage } from './pages/accept-invitation'
import { AiProvidersPage } from './pages/ai-providers'
import { AssistantSettingsPage } from './pages/assistant-settings'
import { LiveChatsPage } from './pages/live-chats'
import { useWaitingChats } from './live/waiting-chats'
import { LocaleSwitch, useDocumentTitle, useUserLocale } from './components/locale-switch'
import { t, type MessageKey } from './i18n'
import { useLocale } from './i18n/use-locale'
import { ApiKeysPage } from './pages/api-keys'
import { AttributesPage } from './pages/attributes'
import { CartsPage } from './pages/carts'
import { CustomerCreatePage, CustomerDetailPage } from './pages/customers/detail'
import { CustomersPage } from './pages/customers/list'
import { CategoriesPage } from './pages/categories'
import { DashboardPage } from './pages/dashboard'
import { InventoryPage } from './pages/inventory'
import { MembersPage } from './pages/members'
import { OrderDetailPage } from './pages/order-detail'
import { OrdersPage } from './pages/orders'
import { PosPage } from './pages/pos'
import { ProductEditorPage } from './pages/product-editor'
import { ProductsPage } from './pages/products'
import { SearchPage } from './pages/search'
import { SignInPage, SignUpPage } from './pages/sign-in'
import { UsagePage } from './pages/usage'
import { BillingPage } from './pages/billing'
import { PaymentsPage } from './pages/payments'
import { NotificationsPage } from './pages/notifications'
import { WebhooksPage } from './pages/webhooks'
import { NotificationBell } from './components/notification-bell'
import { setShopCurrency } from './money'
import { linkClick, navigate, useLocation } from './router'

type Me = Schemas['Me']

const NAV: readonly (readonly [string, MessageKey])[] = [
  ['/', 'nav.dashboard'],
  ['/products', 'nav.products'],
  ['/search', 'nav.search'],
  ['/categories', 'nav.categories'],
  ['/attributes', 'nav.attributes'],
  ['/inventory', 'nav.inventory'],
  ['/orders', 'nav.orders'],
  ['/pos', 'nav.pos'],
  ['/customers', 'nav.customers'],
  ['/carts', 'nav.carts'],
  ['/chats', 'nav.chats'],
  ['/assistant', 'nav.assistant'],
  ['/keys', 'nav.keys'],
  ['/members', 'nav.members'],
  ['/usage', 'nav.usage'],
  ['/billing', 'nav.billing'],
  ['/settings/payments', 'nav.payments'],
  ['/ai', 'nav.ai'],
  ['/webhooks', 'nav.webhooks'],
  ['/notifications', 'nav.notifications'],
]
/** Sections only owners and admins see (their API routes answer 403 to anyone else). */
const ADMIN_ONLY = new Set(['/ai', '/assistant', '/billing', '/settings/payments', '/webhooks'])
const isAdmin = (me: Me) => me.role === 'owner' || me.role === 'admin'

const ROLE_LABELS: Record<Me['role'], MessageKey> = { owner: 'role.owner', admin: 'role.admin', member: 'role.member', viewer: 'role.viewer' }

function sectionOf(path: string): MessageKey | null {
  const match = NAV.filter(([href]) => isCurrent(href, path)).at(-1)
  return match ? match[1] : null
}

function page(path: string, me: Me): ComponentChildren {
  if (path === '/') return <DashboardPage />
  if (path === '/products') return <ProductsPage />
  if (path === '/products/new') return <ProductEditorPage productId={null} />
  if (path.startsWith('/products/')) return <ProductEditorPage productId={decodeURIComponent(path.slice('/products/'.length))} />
  if (path === '/search') return <SearchPage />
  if (path === '/categories') return <CategoriesPage />
  if (path === '/attributes') return <AttributesPage />
  if (path === '/inventory') return <InventoryPage />
  if (path === '/orders') return <OrdersPage />
  if (path.startsWith('/orders/')) return <OrderDetailPage orderId={decodeURIComponent(path.slice('/orders/'.length))} />
  if (path === '/pos') return <PosPage me={me} />
  if (path === '/customers') return <CustomersPage />
  if (path === '/customers/new') return <CustomerCreatePage />
  if (path.startsWith('/customers/')) return <CustomerDetailPage key={path} customerId={decodeURIComponent(path.slice('/customers/'.length))} />
  if (path === '/carts') return <CartsPage />
  if (path === '/chats') return <LiveChatsPage />
  if (path === '/assistant') return isAdmin(me) ? <AssistantSettingsPage /> : <AdminOnly title="nav.assistant" />
  if (path === '/keys') return <ApiKeysPage />
  if (path === '/members') return <MembersPage me={me} />
  if (path === '/usage') return <UsagePage />
  if (path === '/ai') return isAdmin(me) ? <AiProvidersPage /> : <AdminOnly title="nav.ai" />
  if (path === '/billing') return isAdmin(me) ? <BillingPage canManage={me.role === 'owner'} /> : <AdminOnly title="nav.billing" />
  if (path === '/settings/payments') return isAdmin(me) ? <PaymentsPage canManage={me.role === 'owner'} /> : <AdminOnly title="nav.payments" />
  if (path === '/webhooks') return isAdmin(me) ? <WebhooksPage /> : <AdminOnly title="nav.webhooks" />
  if (path === '/notifications') return <NotificationsPage />
  return (
    <section>
      <h1>{t('app.notFound')}</h1>
      <p>{t('app.notFoundText', { path })}</p>
    </section>
  )
}

function AdminOnly(props: { title: MessageKey }) {
  return (
    <section>
      <h1>{t(props.title)}</h1>
      <p class="banner banner--error" role="alert">
        {t('error.forbidden')}
      </p>
    </section>
  )
}

/** The live count of conversations waiting for a person, beside "Live chats" in the navigation. */
function WaitingBadge() {
  const waiting = useWaitingChats()
  if (!waiting) return null
  return (
    <span class="nav-count" data-testid="nav-chats-waiting" aria-label={t('nav.chatsWaiting', { count: waiting })}>
      {waiting > 99 ? '99+' : waiting}
    </span>
  )
}

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
}

async function signOut(): Promise<void> {
  await api.post('/v1/auth/logout').catch(() => null)
  clearTokens()
  navigate('/signin', { replace: true })
}

/** The whole admin UI. */
export function App() {
  useLocale()
  const { path } = useLocation()
  const [me, setMe] = useState<Me | null>(null)
  const [resuming, setResuming] = useState(true)

  useEffect(() => {
    // The refresh cookie is HttpOnly, so whether a session can be resumed is only known by trying.
    refreshAccessToken()
      .then((token) => (token ? api.get('/v1/auth/me') : null))
      .then(setMe, () => setMe(null))
      .finally(() => setResuming(false))
    return onSessionChange((signedIn) => !signedIn && setMe(null))
  }, [])
  useEffect(() => {
    if (me && (path === '/signin' || path === '/signup')) navigate('/', { replace: true })
  }, [me, path])

  useUserLocale(me)
  if (me) setShopCurrency(me.tenant.settings)
  const section = me ? sectionOf(path) : null
  useDocumentTitle(section ? t('app.pageTitle', { page: t(section) }) : t('app.title'))

  if (resuming) return <Skeleton rows={6} label={t('app.signingIn')} />
  const onSignedIn = (session: { user: Schemas['User'] & { locale?: Me['user']['locale'] }; tenant: Me['tenant']; role: Me['role'] }) =>
    setMe({ user: { ...session.user, locale: session.user.locale ?? null }, tenant: session.tenant, role: session.role })
  if (path.startsWith('/invite/')) return <AcceptInvitationPage token={decodeURIComponent(path.slice('/invite/'.length))} me={me} onSignedIn={onSignedIn} />
  if (path.startsWith('/verify-email/')) return <VerifyEmailPage token={decodeURIComponent(path.slice('/verify-email/'.length))} me={me} />
  if (!me) {
    return path === '/signup' ? <SignUpPage onSignedIn={onSignedIn} /> : <SignInPage onSignedIn={onSignedIn} />
  }
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/" onClick={linkClick}>
          {t('app.brand')}
        </a>
        <span class="tenant" title={me.tenant.slug}>
          {me.tenant.name}
        </span>
        <span class="whoami">
          {t('app.whoami', { email: me.user.email, role: t(ROLE_LABELS[me.role]) })}
        </span>
        <NotificationBell />
        <LocaleSwitch signedIn />
        <button type="button" class="link" onClick={() => void signOut()}>
          {t('app.signOut')}
        </button>
      </header>
      <nav class="sidenav" aria-label={t('app.sections')}>
        {NAV.filter(([href]) => isAdmin(me) || !ADMIN_ONLY.has(href)).map(([href, label]) => (
          <a key={href} href={href} onClick={linkClick} aria-current={isCurrent(href, path) ? 'page' : undefined}>
            {t(label)}
            {href === '/chats' ? <WaitingBadge /> : null}
          </a>
        ))}
        <a href="/docs" target="_blank" rel="noreferrer">
          {t('app.apiDocs')}
        </a>
      </nav>
      <main class="content">{page(path, me)}</main>
    </div>
  )
}
