import { SegmentedControl } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useTranslation } from 'react-i18next'
import { api, unwrap } from '../api/client'
import { useLanguageOptions } from '../components/LanguageSelect'
import { currentLanguage, isLanguage, setLanguage } from '../i18n'
import { useSession } from './session'

/**
 * EN | FR. Signed in, the choice is saved on the account (PATCH /me), so it
 * follows the user to other browsers; it always applies at once here.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  const { user, setUser } = useSession()
  const languageOptions = useLanguageOptions()
  const value = isLanguage(i18n.language) ? i18n.language : currentLanguage()
  return (
    <SegmentedControl
      size="xs"
      value={value}
      aria-label={t('language.label')}
      data-testid="language-switch"
      data={languageOptions}
      onChange={(v) => {
        if (!isLanguage(v)) return
        void setLanguage(v)
        if (!user) return
        unwrap(api.PATCH('/flicket-api/me', { body: { locale: v } }))
          .then((u) => setUser(u))
          .catch(() => notifications.show({ color: 'yellow', message: t('language.notSaved') }))
      }}
    />
  )
}
