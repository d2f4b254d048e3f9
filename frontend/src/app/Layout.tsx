import { lazy, Suspense, useRef, useState } from 'react'
import {
  AppShell,
  Burger,
  Center,
  Group,
  Loader,
  NavLink,
  Text,
  UnstyledButton,
  Anchor,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router'
// Its own module, not the feature's index: the index would bring the
// ticket page's code into every page's first load.
import { QuickSearch } from '../features/tickets/QuickSearch'
import { getQueueCounts, type QueueCounts } from '../features/me/api'
import { LanguageSwitch } from './LanguageSwitch'
import classes from './Layout.module.css'
import { useShortcutHelp, useShortcuts } from './shortcuts'
import { usePageHeading } from './usePageHeading'
import { usePrefetchTicketLinks } from './prefetch'
import { type Can, useUser } from './session'

const ShortcutHelp = lazy(() => import('./ShortcutHelp'))
// A menu brings Mantine's popover and floating-ui (~20 KB gzipped): loaded
// when the pointer or the focus reaches its button, not on the first screen.
const loadUserMenu = () => import('./UserMenu')
const UserMenu = lazy(loadUserMenu)

// The bell and the saved views' links come just after the first paint: on
// every page, but not worth their code in its budget.
const NotificationBell = lazy(() =>
  import('../features/me/NotificationBell').then((m) => ({ default: m.NotificationBell })),
)
const SavedViewLinks = lazy(() =>
  import('../features/tickets/SavedViewLinks').then((m) => ({ default: m.SavedViewLinks })),
)

interface Item {
  to: string
  label: string
  testId: string
  /** Active only on this exact path + search. */
  exact?: boolean
  /** Shown only to users whose can allows this. */
  can?: Can
  /** The queue whose count shows beside it. */
  count?: keyof QueueCounts
}

export function Layout() {
  const { t } = useTranslation()
  const user = useUser()
  const location = useLocation()
  const [opened, { toggle, close }] = useDisclosure(false)
  const mainRef = useRef<HTMLElement>(null)
  usePageHeading(mainRef)
  const help = useShortcutHelp()
  useShortcuts(help.open)
  usePrefetchTicketLinks()
  // The queues' counts: cheap (counters and bounded counts), refreshed
  // when a change or a seen mark invalidates ['my'], or every minute.
  const counts = useQuery({
    queryKey: ['my', 'queues'],
    queryFn: getQueueCounts,
    refetchInterval: 60_000,
  })

  const main: Item[] = [
    { to: '/', label: t('nav.dashboard'), testId: 'nav-dashboard', exact: true },
    { to: '/tickets', label: t('nav.tickets'), testId: 'nav-tickets', exact: true, count: 'all' },
    {
      to: '/tickets?view=mine',
      label: t('nav.myTickets'),
      testId: 'nav-my-tickets',
      exact: true,
      count: 'mine',
    },
    {
      to: `/tickets?created_id=${user.id}`,
      label: t('nav.created'),
      testId: 'nav-created',
      exact: true,
      count: 'created',
    },
    {
      to: `/tickets?assigned_id=${user.id}`,
      label: t('nav.assigned'),
      testId: 'nav-assigned',
      exact: true,
      count: 'assigned',
    },
    {
      to: '/tickets?view=subscribed',
      label: t('nav.subscribed'),
      testId: 'nav-subscribed',
      exact: true,
      count: 'subscribed',
    },
    {
      to: '/tickets?view=waiting',
      label: t('dashboard.waitingOnMe'),
      testId: 'nav-waiting',
      exact: true,
      count: 'waiting',
    },
    { to: '/tickets/new', label: t('nav.createTicket'), testId: 'nav-create-ticket' },
    { to: '/departments', label: t('nav.departments'), testId: 'nav-departments' },
    { to: '/users', label: t('nav.users'), testId: 'nav-users' },
  ]
  const adminItems: Item[] = [
    {
      to: '/admin/users',
      label: t('nav.adminUsers'),
      testId: 'nav-admin-users',
      can: 'manage_users',
    },
    {
      to: '/admin/groups',
      label: t('nav.adminGroups'),
      testId: 'nav-admin-groups',
      can: 'manage_users',
    },
    {
      to: '/admin/config',
      label: t('nav.adminConfig'),
      testId: 'nav-admin-config',
      can: 'manage_config',
    },
    {
      to: '/admin/mail',
      label: t('nav.adminMail'),
      testId: 'nav-admin-mail',
      can: 'manage_config',
    },
  ]
  const admin = adminItems.filter((it) => it.can === undefined || user.can[it.can])
  const here = location.pathname + location.search
  const isActive = (it: Item) =>
    it.exact
      ? here === it.to
      : location.pathname === it.to || location.pathname.startsWith(it.to + '/')

  // A plain Link: react-router's NavLink would also mark every
  // /tickets?... entry active on /tickets/42 (it ignores the query).
  const link = (it: Item) => (
    <NavLink
      key={it.to}
      component={Link}
      to={it.to}
      label={it.label}
      active={isActive(it)}
      aria-current={isActive(it) ? 'page' : undefined}
      rightSection={
        it.count && counts.data ? (
          <Text size="xs" c="gray.7" data-testid={`${it.testId}-count`}>
            {counts.data[it.count]}
          </Text>
        ) : undefined
      }
      onClick={close}
      data-testid={it.testId}
    />
  )

  return (
    <AppShell
      header={{ height: { base: 100, sm: 56 } }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        {/* First stop of the Tab key: straight to the page, past the menus. */}
        <a
          href="#main-content"
          className={classes.skipLink}
          data-testid="skip-link"
          onClick={(e) => {
            e.preventDefault()
            mainRef.current?.focus()
          }}
        >
          {t('nav.skip')}
        </a>
        <div className={classes.bar}>
          <Group gap="sm" wrap="nowrap" className={classes.brand}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
              data-testid="nav-burger"
            />
            <Anchor component={Link} to="/" underline="never" fw={700} size="lg" c="inherit">
              {t('app.title')}
            </Anchor>
          </Group>
          <div className={classes.search}>
            <QuickSearch />
          </div>
          <Group gap="sm" wrap="nowrap" className={classes.end}>
            <Suspense fallback={null}>
              <NotificationBell />
            </Suspense>
            <LanguageSwitch />
            <AccountMenu />
          </Group>
        </div>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        <AppShell.Section grow className={classes.navScroll}>
          {main.map(link)}
          <Suspense fallback={null}>
            <SavedViewLinks onNavigate={close} here={here} />
          </Suspense>
          {admin.length > 0 ? (
            <>
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" px="sm" pt="md" pb={4}>
                {t('nav.admin')}
              </Text>
              {admin.map(link)}
            </>
          ) : null}
          <NavLink
            component={RouterNavLink}
            to="/markdown-help"
            label={t('nav.markdownHelp')}
            onClick={close}
          />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main ref={mainRef} id="main-content" tabIndex={-1} className={classes.main}>
        <Suspense fallback={<PageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      {help.loaded ? (
        <Suspense fallback={null}>
          <ShortcutHelp opened={help.opened} onClose={help.close} />
        </Suspense>
      ) : null}
    </AppShell>
  )
}

/**
 * The account menu's button. The menu's code is fetched when the pointer or
 * the focus reaches the button, and the menu replaces it on the first click,
 * opened.
 */
function AccountMenu() {
  const { t } = useTranslation()
  const user = useUser()
  const [clicked, setClicked] = useState(false)
  const button = (
    <UnstyledButton
      data-testid="user-menu"
      aria-haspopup="menu"
      aria-expanded={false}
      // The visible name starts the accessible one (WCAG 2.5.3).
      aria-label={`${user.name} – ${t('nav.account')}`}
      onPointerEnter={() => void loadUserMenu()}
      onFocus={() => void loadUserMenu()}
      onClick={() => setClicked(true)}
    >
      <Text size="sm" fw={500} truncate maw={140}>
        {user.name}
      </Text>
    </UnstyledButton>
  )
  if (!clicked) return button
  return (
    <Suspense fallback={button}>
      <UserMenu defaultOpened />
    </Suspense>
  )
}

export function PageLoader() {
  const { t } = useTranslation()
  return (
    <Center py="xl">
      <Loader aria-label={t('common.loading')} />
    </Center>
  )
}
