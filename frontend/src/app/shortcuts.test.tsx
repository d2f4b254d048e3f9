import { fireEvent, render, screen } from '@testing-library/react'
import { MantineProvider } from '@mantine/core'
import { MemoryRouter } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import '../i18n'
import ShortcutHelp from './ShortcutHelp'
import { shortcutKeys, useShortcuts } from './shortcuts'

function Page({ onAssign }: { onAssign: () => void }) {
  useShortcuts(() => undefined)
  return (
    <>
      <input data-testid="field" />
      <button data-shortcut="assign-me" onClick={onAssign}>
        Assign to me
      </button>
    </>
  )
}

const show = () => {
  const onAssign = vi.fn()
  render(
    <MantineProvider env="test">
      <MemoryRouter>
        <Page onAssign={onAssign} />
      </MemoryRouter>
    </MantineProvider>,
  )
  return onAssign
}

describe('the a shortcut', () => {
  it('assigns the ticket to me', () => {
    const onAssign = show()
    fireEvent.keyDown(document.body, { key: 'a' })
    expect(onAssign).toHaveBeenCalledOnce()
  })

  it('does nothing while typing in a field, or with a modifier', () => {
    const onAssign = show()
    fireEvent.keyDown(screen.getByTestId('field'), { key: 'a' })
    fireEvent.keyDown(document.body, { key: 'a', ctrlKey: true })
    expect(onAssign).not.toHaveBeenCalled()
  })

  it('is listed in the ? help', () => {
    expect(shortcutKeys.map(([k]) => k)).toContain('a')
    render(
      <MantineProvider env="test">
        <ShortcutHelp opened onClose={() => undefined} />
      </MantineProvider>,
    )
    expect(screen.getByTestId('shortcut-help')).toHaveTextContent('Assign the ticket to me')
  })
})
