import { NumberInput, type NumberInputProps } from '@mantine/core'
import { useTranslation } from 'react-i18next'

/** Hours worked: quarter-hour steps, two decimals (the server stores hundredths). */
export function HoursInput(props: NumberInputProps & { 'data-testid'?: string }) {
  const { t } = useTranslation()
  return (
    <NumberInput label={t('tickets.hoursLabel')} min={0} step={0.25} decimalScale={2} {...props} />
  )
}
