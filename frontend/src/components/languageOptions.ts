import { useTranslation } from 'react-i18next'

/**
 * The SPA's languages (i18n's `languages`), each with its name, for a picker.
 * Apart from LanguageSelect: the header's switch needs these, and importing
 * them from there brought Mantine's Select into every page's first load.
 */
export function useLanguageOptions() {
  const { t } = useTranslation()
  return [
    { value: 'en', label: t('language.en') },
    { value: 'fr', label: t('language.fr') },
  ]
}
