import { Select, type SelectProps } from '@mantine/core'
import { useTranslation } from 'react-i18next'

/** The SPA's languages (i18n's `languages`), each with its name, for a picker. */
export function useLanguageOptions() {
  const { t } = useTranslation()
  return [
    { value: 'en', label: t('language.en') },
    { value: 'fr', label: t('language.fr') },
  ]
}

/** The language field of the user forms. */
export function LanguageSelect(props: SelectProps) {
  const { t } = useTranslation()
  const data = useLanguageOptions()
  return <Select label={t('language.label')} allowDeselect={false} data={data} {...props} />
}
