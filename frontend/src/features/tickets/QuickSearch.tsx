/**
 * The header's search box, on every page: results as you type (after a
 * pause, an older request cancelled when a newer one starts), each with the
 * words it matched; Enter opens the full list, a result its ticket at the
 * reply that matched. The ARIA combobox pattern: the box keeps the focus,
 * arrows move through the options, Escape closes, then clears.
 */
import { useId, useState, type KeyboardEvent } from 'react'
import { Loader, Paper, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../api/errors'
import { highlight } from '../../components/highlight'
import { quickSearch } from './api'
import classes from './QuickSearch.module.css'

/** The server refuses a q without a letter or a digit. */
const hasWord = (q: string) => /[\p{L}\p{N}]/u.test(q)

export function QuickSearch() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const id = useId()
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const [q] = useDebouncedValue(text.trim(), 250)
  const results = useQuery({
    queryKey: ['tickets', 'quick', q],
    // React Query aborts the signal when the key moves on: stale requests stop.
    queryFn: ({ signal }) => quickSearch(q, signal),
    enabled: open && hasWord(q),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
  const items = hasWord(q) ? (results.data?.items ?? []) : []
  const total = results.data?._meta.total_items ?? 0
  const showing = open && hasWord(text.trim())
  // The options: the tickets, then "all results" (the full list).
  const count = items.length + (items.length > 0 ? 1 : 0)
  const optionId = (i: number) => `${id}-option-${i}`

  const reset = () => {
    setOpen(false)
    setActive(-1)
  }
  const all = () => {
    const query = text.trim()
    if (!hasWord(query)) return
    reset()
    void navigate(`/tickets?q=${encodeURIComponent(query)}`)
  }
  const choose = (i: number) => {
    const tk = items[i]
    if (!tk) return all()
    reset()
    setText('')
    // At the reply that matched, when one did.
    void navigate(`/tickets/${tk.id}${tk.matched_post_id ? `?post=${tk.matched_post_id}` : ''}`)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault()
        setOpen(true)
        if (count === 0) return
        const by = e.key === 'ArrowDown' ? 1 : -1
        setActive((a) => (a < 0 && by < 0 ? count - 1 : (a + by + count) % count))
        return
      }
      case 'Enter':
        e.preventDefault()
        if (showing && active >= 0) choose(active)
        else all()
        return
      case 'Escape':
        e.preventDefault()
        if (showing) reset()
        else setText('')
        return
    }
  }

  const status = !showing
    ? ''
    : results.isError
      ? errorMessage(results.error, t)
      : results.isFetching || q !== text.trim()
        ? t('search.searching')
        : total === 0
          ? t('search.none')
          : t(results.data?._meta.total_capped ? 'search.foundMore' : 'search.found', {
              count: total,
            })

  return (
    <div className={classes.root} role="search">
      <TextInput
        type="search"
        size="sm"
        value={text}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showing && count > 0}
        aria-controls={`${id}-listbox`}
        aria-activedescendant={showing && active >= 0 ? optionId(active) : undefined}
        aria-describedby={`${id}-status`}
        autoComplete="off"
        data-shortcut="search"
        data-testid="header-search"
        rightSection={showing && results.isFetching ? <Loader size="xs" /> : null}
        onChange={(e) => {
          setText(e.currentTarget.value)
          setOpen(true)
          setActive(-1)
        }}
        onFocus={() => setOpen(true)}
        onBlur={reset}
        onKeyDown={onKeyDown}
      />
      {showing ? (
        <Paper className={classes.panel} shadow="md" withBorder p={4} data-testid="search-panel">
          <Text size="xs" c="dimmed" px={10} py={4} id={`${id}-status`} role="status">
            {status}
          </Text>
          {count > 0 ? (
            <div role="listbox" id={`${id}-listbox`} aria-label={t('search.results')}>
              {items.map((tk, i) => (
                <div
                  key={tk.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  className={classes.option}
                  data-testid="search-result"
                  // Keep the focus in the box: the click still lands.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(i)}
                >
                  <Text size="sm" fw={500} lineClamp={2}>
                    #{tk.number} {tk.title}
                  </Text>
                  {tk.snippet ? (
                    <Text size="xs" c="dimmed" lineClamp={3} data-testid="search-snippet">
                      {tk.matched_post_id ? `${t('search.reply')} ` : ''}
                      {highlight(tk.snippet, tk.snippet_highlights)}
                    </Text>
                  ) : null}
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {tk.status} · {tk.department}
                  </Text>
                </div>
              ))}
              <div
                id={optionId(items.length)}
                role="option"
                aria-selected={active === items.length}
                className={classes.option}
                data-testid="search-all"
                onMouseDown={(e) => e.preventDefault()}
                onClick={all}
              >
                <Text size="sm" c="blue.8">
                  {t('search.all', { count: total })}
                </Text>
              </div>
            </div>
          ) : null}
        </Paper>
      ) : (
        <span id={`${id}-status`} hidden />
      )}
    </div>
  )
}
