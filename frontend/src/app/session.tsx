/**
 * The browser session: who is signed in, sign in and out. The server keeps
 * the token in an HttpOnly cookie; this module only ever sees the user.
 */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, onUnauthorized, unwrap } from '../api/client'
import { isApiError } from '../api/errors'
import type { User } from '../api/types'
import { isLanguage, setLanguage } from '../i18n'

export interface SignInValues {
  username: string
  password: string
  remember: boolean
}

interface SessionValue {
  user: User | null
  loading: boolean
  signIn: (v: SignInValues) => Promise<User>
  signOut: () => Promise<void>
  /** Replace the cached user (after editing one's own settings). */
  setUser: (u: User) => void
}

const SessionContext = createContext<SessionValue | null>(null)

export const sessionKey = ['session'] as const

async function fetchSession(): Promise<User | null> {
  try {
    return await unwrap(api.GET('/flicket-api/session'))
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null
    throw e
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient()
  const q = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity })
  const user = q.data ?? null

  // The user's saved language wins over the device's.
  const locale = user?.locale
  useEffect(() => {
    if (isLanguage(locale)) void setLanguage(locale)
  }, [locale])

  // Any 401 means the session has ended: forget the user (routes then go to /login).
  useEffect(
    () =>
      onUnauthorized(() => {
        if (qc.getQueryData(sessionKey)) {
          qc.setQueryData(sessionKey, null)
        }
      }),
    [qc],
  )

  const value = useMemo<SessionValue>(
    () => ({
      user,
      loading: q.isPending,
      async signIn(v) {
        const u = await unwrap(api.POST('/flicket-api/session', { body: v }))
        qc.clear()
        qc.setQueryData(sessionKey, u)
        return u
      },
      async signOut() {
        try {
          await unwrap(api.DELETE('/flicket-api/session'))
        } finally {
          qc.clear()
          qc.setQueryData(sessionKey, null)
        }
      },
      setUser(u) {
        qc.setQueryData(sessionKey, u)
      },
    }),
    [user, q.isPending, qc],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext)
  if (!v) throw new Error('useSession outside SessionProvider')
  return v
}

/** The signed-in user; only call it below RequireAuth. */
export function useUser(): User {
  const { user } = useSession()
  if (!user) throw new Error('useUser without a signed-in user')
  return user
}

export const isAdmin = (u: User | null | undefined): boolean => u?.is_admin === true
export const isAdminOrSuper = (u: User | null | undefined): boolean =>
  u?.is_admin === true || u?.is_super_user === true
