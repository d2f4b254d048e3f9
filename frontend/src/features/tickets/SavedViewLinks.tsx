/**
 * The side bar's saved views. Apart from SavedViews (the list's panel, with
 * its forms and modal): the side bar is on every page's first screen, held
 * to the size budget (scripts/size-budget.mjs).
 */
import { NavLink, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { listViews, viewKeys } from './views'

export function useSavedViews() {
  return useQuery({ queryKey: viewKeys.all, queryFn: listViews, staleTime: 60_000 })
}

export function SavedViewLinks({ onNavigate, here }: { onNavigate: () => void; here: string }) {
  const { t } = useTranslation()
  const views = useSavedViews()
  const items = views.data?.items ?? []
  if (items.length === 0) return null
  return (
    <>
      <Text size="xs" c="gray.7" fw={700} tt="uppercase" px="sm" pt="md" pb={4}>
        {t('views.title')}
      </Text>
      {items.map((v) => {
        const to = `/tickets?${v.query}`
        return (
          <NavLink
            key={v.id}
            component={Link}
            to={to}
            label={v.name}
            active={here === to}
            aria-current={here === to ? 'page' : undefined}
            onClick={onNavigate}
            data-testid="nav-saved-view"
          />
        )
      })}
    </>
  )
}
