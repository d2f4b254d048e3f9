import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { meFixture, pageOf, postFixture } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { ReplyForm } from './ReplyForm'

const statuses = pageOf(
  ['Open', 'Closed', 'In Work', 'Awaiting Information'].map((status, i) => ({
    id: i + 1,
    status,
    links: { self: '', statuses: '' },
  })),
)
const priorities = pageOf(
  ['low', 'medium', 'high'].map((priority, i) => ({
    id: i + 1,
    priority,
    links: { self: '', priorities: '' },
  })),
)

/** The form on an Open, high-priority ticket, its text owned here as the page owns it. */
function show(more: Record<string, MockAnswer> = {}, withClose = false) {
  const calls = mockApi({
    'GET /flicket-api/statuses/': [200, statuses],
    'GET /flicket-api/priorities/': [200, priorities],
    ...more,
  })
  const onDone = vi.fn()
  function Page() {
    const [content, setContent] = useState('')
    return (
      <ReplyForm
        ticketId={42}
        statusId={1}
        statusChoices={[1, 3, 4]}
        priorityId={3}
        content={content}
        onContentChange={setContent}
        onReplyAndClose={withClose ? () => Promise.resolve() : undefined}
        onDone={onDone}
      />
    )
  }
  renderPage(<Page />, { user: meFixture({ id: 5 }) })
  return { calls, onDone }
}

const posted = (calls: ReturnType<typeof mockApi>) =>
  calls.filter((c) => c.method === 'POST' && c.path === '/flicket-api/posts')

describe('ReplyForm', () => {
  it('refuses an empty reply before asking the server', async () => {
    const { calls, onDone } = show()
    await userEvent.click(screen.getByTestId('reply-submit'))
    expect(await screen.findByText('This field is required.')).toBeInTheDocument()
    expect(posted(calls)).toHaveLength(0)
    expect(onDone).not.toHaveBeenCalled()
  })

  it('offers every status but Closed, which has its own button', async () => {
    show()
    await userEvent.click(screen.getByTestId('reply-status'))
    const names = (await screen.findAllByRole('option')).map((o) => o.textContent)
    expect(names).toEqual(['Open', 'In work', 'Awaiting information'])
  })

  it('sends the text and hours, and the status only when it changes', async () => {
    const { calls, onDone } = show({
      'POST /flicket-api/posts': [201, postFixture({ id: 7, ticket_id: 42 })],
    })
    await userEvent.type(screen.getByTestId('reply-content'), 'Rebooted the router.')
    await userEvent.click(screen.getByTestId('reply-status'))
    await userEvent.click(await screen.findByRole('option', { name: 'In work' }))
    await userEvent.type(screen.getByTestId('reply-hours'), '1.5')
    await userEvent.click(screen.getByTestId('reply-submit'))
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce())
    expect(posted(calls).map((c) => c.body)).toEqual([
      { ticket_id: 42, content: 'Rebooted the router.', hours: 1.5, status_id: 3 },
    ])
    // Ready for the next reply.
    expect(screen.getByTestId('reply-content')).toHaveValue('')
  })

  it('shows the server’s complaint about the text under it', async () => {
    const { onDone } = show({
      'POST /flicket-api/posts': [
        422,
        {
          error: 'Unprocessable Entity',
          code: 'validation.failed',
          message: 'content must be at most 5000 characters long.',
          errors: [
            {
              field: 'content',
              code: 'max',
              message: 'content must be at most 5000 characters long.',
            },
          ],
        },
      ],
    })
    await userEvent.type(screen.getByTestId('reply-content'), 'A long story.')
    await userEvent.click(screen.getByTestId('reply-submit'))
    expect(
      await screen.findByText('content must be at most 5000 characters long.'),
    ).toBeInTheDocument()
    expect(screen.queryByTestId('error-banner')).toBeNull()
    expect(screen.getByTestId('reply-content')).toHaveValue('A long story.')
    expect(onDone).not.toHaveBeenCalled()
  })

  it('offers reply-and-close where closing is allowed', () => {
    // Clicking it is an end-to-end journey (tests/posts.spec.ts): the button
    // sets its state just before the form submits, which React flushes at
    // the end of a browser's click but not inside act().
    show({}, true)
    expect(screen.getByTestId('reply-and-close')).toHaveTextContent('Reply and close')
  })

  it('has no reply-and-close button for someone who may not close', () => {
    show()
    expect(screen.getByTestId('reply-submit')).toBeInTheDocument()
    expect(screen.queryByTestId('reply-and-close')).toBeNull()
  })

  it.each([
    ['Ctrl', '{Control>}{Enter}{/Control}'],
    ['Cmd', '{Meta>}{Enter}{/Meta}'],
  ])('%s+Enter in the text sends the reply (not reply-and-close)', async (_k, keys) => {
    const { calls, onDone } = show(
      { 'POST /flicket-api/posts': [201, postFixture({ id: 7, ticket_id: 42 })] },
      true,
    )
    await userEvent.type(screen.getByTestId('reply-content'), 'Thx')
    await userEvent.keyboard(keys)
    await waitFor(() => expect(onDone).toHaveBeenCalledOnce())
    expect(posted(calls).map((c) => c.body)).toEqual([{ ticket_id: 42, content: 'Thx', hours: 0 }])
  })
})
