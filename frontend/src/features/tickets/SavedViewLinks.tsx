/** The side bar's links to the saved views (its own module: the side bar is on every page). */
import { NavLink, Text } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useSavedViews } from './views'

/** The side bar's links to the saved views. */
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
