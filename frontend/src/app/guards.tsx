import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router'
import { safeNext } from '../features/auth/api'
import { ForbiddenPage } from './ErrorPages'
import { PageLoader } from './Layout'
import { type Can, useSession } from './session'

/** Signed-in users only; others go to /login and come back afterwards. */
export function RequireAuth() {
  const { user, loading } = useSession()
  const location = useLocation()
  if (loading) return <PageLoader />
  if (!user) {
    const next = location.pathname + location.search
    return (
      <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />
    )
  }
  return <Outlet />
}

/**
 * Signed-out visitors only (the sign-in page). A signed-in user goes where
 * `next` says: that is also where someone who has just signed in is sent
 * (the session changes before the sign-in page's own redirect runs).
 */
export function RequireAnonymous() {
  const { user, loading } = useSession()
  const [params] = useSearchParams()
  if (loading) return <PageLoader />
  if (user) return <Navigate to={safeNext(params.get('next'))} replace />
  return <Outlet />
}

/** Users whose can (GET /me) allows the area; others see the 403 page. */
export function RequireCan({ can }: { can: Can }) {
  const { user } = useSession()
  return user?.can[can] ? <Outlet /> : <ForbiddenPage />
}
