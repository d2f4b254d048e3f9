import type { ComponentProps } from 'react'
import { useTranslation } from 'react-i18next'
import { NameForm as BaseNameForm } from '../../components/NameForm'
import { nameProblem } from './api'

type Props = Omit<ComponentProps<typeof BaseNameForm>, 'field' | 'check'> & {
  field: 'department' | 'category'
}

/** A department's or category's name (3–30 characters). */
export function NameForm(props: Props) {
  const { t } = useTranslation()
  return (
    <BaseNameForm
      {...props}
      check={(v) => {
        const p = nameProblem(v)
        if (p === 'required') return t('validation.required')
        return p ? t('validation.length', { min: 3, max: 30 }) : null
      }}
    />
  )
}
