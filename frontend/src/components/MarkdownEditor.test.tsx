import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { mockApi, renderPage } from '../test/render'
import { MarkdownEditor } from './MarkdownEditor'

function Editor() {
  const [v, setV] = useState('')
  return <MarkdownEditor label="Text" value={v} onChange={setV} testId="md" />
}

describe('MarkdownEditor', () => {
  it('side by side, shows the text and the server-rendered preview as one types', async () => {
    const calls = mockApi({
      'POST /flicket-api/markdown': [200, { html: '<p><strong>bold</strong></p>' }],
    })
    renderPage(<Editor />)
    // Writing alone renders nothing.
    await userEvent.type(screen.getByTestId('md'), '**bold**')
    expect(calls.filter((c) => c.path === '/flicket-api/markdown')).toHaveLength(0)
    await userEvent.click(screen.getByTestId('md-split-tab'))
    expect(screen.getByTestId('md')).toHaveValue('**bold**')
    const preview = screen.getByTestId('md-preview')
    await waitFor(() => expect(preview.querySelector('strong')).toHaveTextContent('bold'))
    expect(calls.find((c) => c.path === '/flicket-api/markdown')?.body).toEqual({
      content: '**bold**',
    })
  })
})
