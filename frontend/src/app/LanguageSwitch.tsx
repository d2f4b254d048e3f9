import { Button } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { api, unwrap } from '../api/client'
import { useLanguageOptions } from '../components/languageOptions'
import { currentLanguage, isLanguage, setLanguage } from '../i18n'
import { useSession } from './session'

/**
 * English | Français. Signed in, the choice is saved on the account (PATCH
 * /me), so it follows the user to other browsers; it always applies at once
 * here. Two toggle buttons rather than Mantine's SegmentedControl, whose
 * animated indicator cost ~3 KB of every first load.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  const { user, setUser } = useSession()
  const languageOptions = useLanguageOptions()
  const value = isLanguage(i18n.language) ? i18n.language : currentLanguage()
  const choose = (v: string) => {
    if (!isLanguage(v) || v === value) return
    void setLanguage(v)
    if (!user) return
    unwrap(api.PATCH('/flicket-api/me', { body: { locale: v } }))
      .then((u) => setUser(u))
      .catch(() => notifications.show({ color: 'yellow', message: t('language.notSaved') }))
  }
  return (
    <Button.Group aria-label={t('language.label')} data-testid="language-switch">
      {languageOptions.map((o) => (
        <Button
          key={o.value}
          size="compact-xs"
          variant={o.value === value ? 'filled' : 'default'}
          aria-pressed={o.value === value}
          lang={o.value}
          onClick={() => choose(o.value)}
        >
          {o.label}
        </Button>
      ))}
    </Button.Group>
  )
}
