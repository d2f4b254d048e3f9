import { Select, type SelectProps } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import { useLanguageOptions } from './languageOptions'

/** The language field of the user forms. */
export function LanguageSelect(props: SelectProps) {
  const { t } = useTranslation()
  const data = useLanguageOptions()
  return <Select label={t('language.label')} allowDeselect={false} data={data} {...props} />
}
