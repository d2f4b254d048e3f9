/**
 * The browser session: who is signed in, sign in and out. The server keeps
 * the token in an HttpOnly cookie; this module only ever sees the user.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, onUnauthorized, unwrap } from '../api/client'
import type { Me, Schema } from '../api/types'
import { isLanguage, setLanguage } from '../i18n'

export type SignInValues = Schema<'SessionRequest'>

interface SessionValue {
  user: Me | null
  loading: boolean
  signIn: (v: SignInValues) => Promise<Me>
  signOut: () => Promise<void>
  /** Replace the cached user (after editing one's own settings). */
  setUser: (u: Me) => void
}

const SessionContext = createContext<SessionValue | null>(null)

export const sessionKey = ['session'] as const

/** The signed-in user, or null (the server answers 204 to a signed-out browser). */
export async function fetchSession(): Promise<Me | null> {
  const res = await api.GET('/flicket-api/session')
  if (res.response.status === 200 && res.data) return res.data
  if (res.response.status === 204 || res.response.status === 401) return null
  return unwrap(Promise.resolve(res))
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

  // Another user's data must not survive a change of user; the session query
  // itself stays (its observer would not see a re-created one).
  const forgetOthers = useCallback(
    () => qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] }),
    [qc],
  )

  const value = useMemo<SessionValue>(
    () => ({
      user,
      loading: q.isPending,
      async signIn(v) {
        const u = await unwrap(api.POST('/flicket-api/session', { body: v }))
        forgetOthers()
        qc.setQueryData(sessionKey, u)
        return u
      },
      async signOut() {
        try {
          await unwrap(api.DELETE('/flicket-api/session'))
        } finally {
          forgetOthers()
          qc.setQueryData(sessionKey, null)
        }
      },
      setUser(u) {
        qc.setQueryData(sessionKey, u)
      },
    }),
    [user, q.isPending, qc, forgetOthers],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext)
  if (!v) throw new Error('useSession outside SessionProvider')
  return v
}

/** The signed-in user; only call it below RequireAuth. */
export function useUser(): Me {
  const { user } = useSession()
  if (!user) throw new Error('useUser without a signed-in user')
  return user
}

/** One of the areas the signed-in user may or may not use (GET /me's can). */
export type Can = keyof Me['can']
