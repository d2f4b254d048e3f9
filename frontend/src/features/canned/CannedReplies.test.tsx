import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { MarkdownEditor } from '../../components/MarkdownEditor'
import { ADMIN_CAN, meFixture } from '../../test/fixtures'
import { mockApi, renderPage } from '../../test/render'
import type { CannedReply } from './api'

const reply = (o: Partial<CannedReply>): CannedReply => ({
  can: { edit: true },
  content: 'Thanks!',
  created_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  updated_at: 'Thu, 26 Nov 2026 17:58:16 GMT',
  id: 1,
  links: { self: '' },
  shared: false,
  title: 'Thanks',
  ...o,
})

function Editor({ initial }: { initial: string }) {
  const [value, setValue] = useState(initial)
  return (
    <MarkdownEditor label="Text" testId="reply-content" canned value={value} onChange={setValue} />
  )
}

describe('canned replies menu', () => {
  it('inserts the chosen reply at the cursor, replacing the selection, and keeps the focus', async () => {
    const calls = mockApi({
      'GET /flicket-api/me/canned-replies': [
        200,
        {
          items: [
            reply({ id: 2, title: 'Apologies', content: 'Sorry for the wait.', shared: true }),
            reply({ id: 1, title: 'Thanks', content: 'Thanks!' }),
          ],
        },
      ],
    })
    renderPage(<Editor initial="Hello XXX, bye" />, { user: meFixture() })
    const box = screen.getByTestId<HTMLTextAreaElement>('reply-content')
    // Nothing is asked before the menu opens.
    const button = await screen.findByTestId('reply-content-canned-button')
    expect(calls.filter((c) => c.path === '/flicket-api/me/canned-replies')).toHaveLength(0)
    box.focus()
    box.setSelectionRange(6, 9)
    await userEvent.click(button)
    const items = await screen.findAllByTestId('reply-content-canned-item')
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining('Apologies'),
      expect.stringContaining('Thanks'),
    ])
    expect(screen.queryByTestId('reply-content-canned-search')).toBeNull() // few: no search
    await userEvent.click(items[0]!)
    expect(box.value).toBe('Hello Sorry for the wait., bye')
    await waitFor(() => expect(document.activeElement).toBe(box))
    expect(box.selectionStart).toBe(6 + 'Sorry for the wait.'.length)
    expect(box.selectionEnd).toBe(box.selectionStart)
    expect(screen.queryByTestId('reply-content-canned-menu')).toBeNull()
  })

  it('offers a search box when there are many, Enter taking the first match', async () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      reply({ id: i + 1, title: `Reply ${i + 1}`, content: `text ${i + 1}` }),
    )
    many.push(reply({ id: 20, title: 'Printer', content: 'Restart the spooler.' }))
    mockApi({ 'GET /flicket-api/me/canned-replies': [200, { items: many }] })
    renderPage(<Editor initial="" />, { user: meFixture() })
    await userEvent.click(await screen.findByTestId('reply-content-canned-button'))
    const search = await screen.findByTestId('reply-content-canned-search')
    await userEvent.type(search, 'spool')
    expect(screen.getAllByTestId('reply-content-canned-item')).toHaveLength(1)
    await userEvent.type(search, '{Enter}')
    expect(screen.getByTestId<HTMLTextAreaElement>('reply-content').value).toBe(
      'Restart the spooler.',
    )
  })

  it('saves a new reply; only administrators see "shared"', async () => {
    const calls = mockApi({
      'GET /flicket-api/me/canned-replies': [200, { items: [] }],
      'POST /flicket-api/me/canned-replies': [201, reply({ id: 5, title: 'Hi', content: 'Hi!' })],
    })
    renderPage(<Editor initial="" />, { user: meFixture({ id: 1 }, ADMIN_CAN) })
    await userEvent.click(await screen.findByTestId('reply-content-canned-button'))
    expect(await screen.findByTestId('reply-content-canned-none')).toBeInTheDocument()
    await userEvent.click(screen.getByTestId('reply-content-canned-manage'))
    await userEvent.type(await screen.findByTestId('reply-content-canned-title'), 'Hi')
    await userEvent.type(screen.getByTestId('reply-content-canned-content'), 'Hi!')
    await userEvent.click(screen.getByTestId('reply-content-canned-shared'))
    await userEvent.click(screen.getByTestId('reply-content-canned-save'))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        title: 'Hi',
        content: 'Hi!',
        shared: true,
      }),
    )
  })

  it('hides "shared" from other users', async () => {
    mockApi({ 'GET /flicket-api/me/canned-replies': [200, { items: [] }] })
    renderPage(<Editor initial="" />, { user: meFixture() })
    await userEvent.click(await screen.findByTestId('reply-content-canned-button'))
    await userEvent.click(await screen.findByTestId('reply-content-canned-manage'))
    await screen.findByTestId('reply-content-canned-title')
    expect(screen.queryByTestId('reply-content-canned-shared')).toBeNull()
  })
})
