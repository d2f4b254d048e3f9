import { useState } from 'react'
import { Autocomplete, Loader } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../api/client'
import type { User, UserRef } from '../api/types'

/** The user picked: the API's small user object. */
export type PickedUser = UserRef

interface Props {
  label: string
  /** The box's name when it shows no label (a compact toolbar). */
  ariaLabel?: string
  placeholder?: string
  onPick: (u: PickedUser | null) => void
  /** Shown in the box before anything is typed (e.g. the current filter). */
  initialText?: string
  error?: React.ReactNode
  testId?: string
  clearable?: boolean
}

async function searchUsers(q: string): Promise<User[]> {
  const res = await unwrap(
    api.GET('/flicket-api/users/', { params: { query: { q, per_page: 10 } } }),
  )
  return res.items
}

/**
 * Pick a user by typing part of their username, name or e-mail (GET
 * /flicket-api/users/?q=, from 2 characters). The option label is
 * "Name (username)".
 */
export function UserPicker({
  label,
  ariaLabel,
  placeholder,
  onPick,
  initialText = '',
  error,
  testId,
  clearable,
}: Props) {
  const [text, setText] = useState(initialText)
  const [debounced] = useDebouncedValue(text.trim(), 250)
  const q = useQuery({
    queryKey: ['user-search', debounced],
    queryFn: () => searchUsers(debounced),
    enabled: debounced.length >= 2,
    staleTime: 30_000,
  })
  const users = q.data ?? []
  const labelOf = (u: User) => `${u.name} (${u.username})`
  return (
    <Autocomplete
      label={label}
      aria-label={ariaLabel}
      placeholder={placeholder}
      value={text}
      error={error}
      data-testid={testId}
      clearable={clearable}
      onClear={() => {
        setText('')
        onPick(null)
      }}
      onChange={(v) => {
        setText(v)
        if (v === '') onPick(null)
      }}
      data={users.map((u) => ({ value: String(u.id), label: labelOf(u) }))}
      filter={({ options }) => options}
      rightSection={q.isFetching ? <Loader size="xs" /> : null}
      onOptionSubmit={(value) => {
        const u = users.find((x) => String(x.id) === value)
        if (!u?.id) return
        setText(labelOf(u))
        onPick({ id: u.id, username: u.username, name: u.name })
      }}
    />
  )
}
