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
  /**
   * Suggest people as soon as the box has focus (before anything is typed),
   * and only enabled accounts: whom a ticket may be assigned to.
   */
  suggest?: boolean
  /**
   * With suggest, the ticket being assigned: the people likely to take it
   * come first (the signed-in user, then those who recently had the
   * department's tickets: GET /flicket-api/users/?for_ticket=).
   */
  forTicket?: number
  disabled?: boolean
  /** The clear button's name (it empties the choice). */
  clearLabel?: string
}

async function searchUsers(q: string, enabledOnly: boolean, forTicket?: number): Promise<User[]> {
  const query = {
    q: q || undefined,
    per_page: 10,
    disabled: enabledOnly ? false : undefined,
    for_ticket: enabledOnly ? forTicket : undefined,
  }
  const res = await unwrap(api.GET('/flicket-api/users/', { params: { query } }))
  return res.items
}

/**
 * Pick a user by typing part of their username, name or e-mail (GET
 * /flicket-api/users/?q=, from 2 characters; with suggest, from the moment
 * the box has focus). The option label is "Name (username)".
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
  suggest = false,
  forTicket,
  disabled,
  clearLabel,
}: Props) {
  const [text, setText] = useState(initialText)
  const [focused, setFocused] = useState(false)
  // The text shown before any typing (the current choice) searches nothing.
  const typed = text === initialText ? '' : text.trim()
  const [debounced] = useDebouncedValue(suggest ? typed : text.trim(), 250)
  const q = useQuery({
    queryKey: ['user-search', debounced, suggest, suggest ? forTicket : undefined],
    queryFn: () => searchUsers(debounced, suggest, forTicket),
    enabled: suggest ? focused : debounced.length >= 2,
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
      clearButtonProps={
        clearLabel
          ? { 'aria-label': clearLabel, ...{ 'data-testid': testId && `${testId}-clear` } }
          : undefined
      }
      disabled={disabled}
      onFocus={(e) => {
        setFocused(true)
        if (suggest) e.currentTarget.select()
      }}
      onBlur={() => setFocused(false)}
      onClear={() => {
        setText('')
        onPick(null)
      }}
      onChange={(v) => {
        setText(v)
        // With suggest, emptying the box to type another name picks nobody
        // yet: only the clear button does.
        if (v === '' && !suggest) onPick(null)
      }}
      data={users.map((u) => ({ value: String(u.id), label: labelOf(u) }))}
      filter={({ options }) => options}
      rightSection={q.isFetching ? <Loader size="xs" /> : undefined}
      onOptionSubmit={(value) => {
        const u = users.find((x) => String(x.id) === value)
        if (!u?.id) return
        setText(labelOf(u))
        onPick({ id: u.id, username: u.username, name: u.name })
      }}
    />
  )
}
