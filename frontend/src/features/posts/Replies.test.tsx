import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { Post, User } from '../../api/types'
import { meFixture, pageOf, postFixture, userFixture } from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { Replies } from './Replies'

const tess = userFixture({ id: 5, username: 'tess', name: 'Tess Tech' })
const admin = userFixture({ id: 1, username: 'admin', name: 'Ada Min', is_admin: true })
const author = (u: User) => ({
  id: u.id,
  is_admin: u.is_admin,
  is_super_user: u.is_super_user,
  job_title: null,
  name: u.name,
  username: u.username,
})

// Tess's reply, which the server lets her edit and delete.
const mine = postFixture({
  can: { delete: true, edit: true },
  id: 31,
  ticket_id: 42,
  user_id: tess.id,
  user: author(tess),
  content: 'Have you tried **turning it off**?',
  content_html: '<p>Have you tried <strong>turning it off</strong>?</p>',
  hours: 1.5,
})
const theirs = postFixture({
  id: 32,
  ticket_id: 42,
  user_id: admin.id,
  user: author(admin),
  content: 'Fixed.',
  content_html: '<p>Fixed.</p>',
})
const gone = postFixture({ id: 33, ticket_id: 42, user_id: null, user: null })

/** Every reply as the server sends it to someone who may edit and delete it. */
const everyReply = (can: Post['can']) => [mine, theirs, gone].map((p) => ({ ...p, can }))

function show(
  user: User,
  {
    posts = [mine, theirs, gone],
    more = {},
  }: { posts?: Post[]; more?: Record<string, MockAnswer> } = {},
) {
  const calls = mockApi({
    'GET /flicket-api/posts/42/1/': [200, pageOf(posts)],
    ...more,
  })
  const onQuote = vi.fn()
  renderPage(<Replies ticketId={42} page={1} onPage={() => undefined} onQuote={onQuote} />, {
    user: meFixture(user),
  })
  return { calls, onQuote }
}

/** The reply cards, once loaded, in order. */
async function cards() {
  await screen.findByText('Fixed.')
  return screen.getAllByTestId('reply')
}

describe('Replies', () => {
  it('shows each reply numbered, with its author, rendered text and hours', async () => {
    show(tess)
    const [first, second, third] = await cards()
    expect(first).toHaveTextContent('Reply #1')
    expect(first).toHaveTextContent('Tess Tech')
    expect(within(first!).getByText('turning it off').tagName).toBe('STRONG')
    expect(first).toHaveTextContent('Hours: 1.5')
    expect(second).toHaveTextContent('Reply #2')
    expect(second).not.toHaveTextContent('Hours:')
    // A reply whose author was deleted.
    expect(third).toHaveTextContent('A former user')
  })

  it('offers edit and delete where the reply’s can allows them', async () => {
    show(tess)
    const [first, second, third] = await cards()
    expect(within(first!).getByTestId('edit-reply')).toBeInTheDocument()
    expect(within(first!).getByTestId('delete-reply')).toBeInTheDocument()
    for (const other of [second!, third!]) {
      expect(within(other).queryByTestId('edit-reply')).toBeNull()
      expect(within(other).queryByTestId('delete-reply')).toBeNull()
      expect(within(other).getByTestId('quote-reply')).toBeInTheDocument()
    }
  })

  it('offers an administrator edit and delete on every reply', async () => {
    show(admin, { posts: everyReply({ delete: true, edit: true }) })
    const all = await cards()
    expect(all.map((c) => within(c).queryByTestId('edit-reply') !== null)).toEqual([
      true,
      true,
      true,
    ])
    expect(all.map((c) => within(c).queryByTestId('delete-reply') !== null)).toEqual([
      true,
      true,
      true,
    ])
  })

  it('allows no edits once the ticket is closed, but still deletion', async () => {
    show(tess, { posts: [{ ...mine, can: { delete: true, edit: false } }, theirs, gone] })
    const [first] = await cards()
    expect(within(first!).queryByTestId('edit-reply')).toBeNull()
    expect(within(first!).getByTestId('delete-reply')).toBeInTheDocument()
  })

  it('hands the reply to quote to the page', async () => {
    const { onQuote } = show(tess)
    const [, second] = await cards()
    await userEvent.click(within(second!).getByTestId('quote-reply'))
    expect(onQuote).toHaveBeenCalledWith(theirs)
  })

  it('saves an edit with its text and hours', async () => {
    const { calls } = show(tess, {
      more: { 'PATCH /flicket-api/post/31': [200, { ...mine, content: 'Rebooted it.' }] },
    })
    const [first] = await cards()
    await userEvent.click(within(first!).getByTestId('edit-reply'))
    const text = within(first!).getByTestId('edit-reply-content')
    expect(text).toHaveValue('Have you tried **turning it off**?')
    await userEvent.clear(text)
    await userEvent.type(text, 'Rebooted it.')
    const hours = within(first!).getByLabelText('Hours spent')
    await userEvent.clear(hours)
    await userEvent.type(hours, '2.25')
    await userEvent.click(within(first!).getByTestId('edit-reply-save'))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
        path: '/flicket-api/post/31',
        body: { content: 'Rebooted it.', hours: 2.25 },
      }),
    )
    await waitFor(() => expect(within(first!).queryByTestId('edit-reply-form')).toBeNull())
  })

  it('refuses a blank edit, and sends a short one ("ok")', async () => {
    const { calls } = show(tess, { more: { 'PATCH /flicket-api/post/31': [200, postFixture()] } })
    const [first] = await cards()
    await userEvent.click(within(first!).getByTestId('edit-reply'))
    await userEvent.clear(within(first!).getByTestId('edit-reply-content'))
    await userEvent.type(within(first!).getByTestId('edit-reply-content'), '   ')
    await userEvent.click(within(first!).getByTestId('edit-reply-save'))
    expect(await within(first!).findByText('This field is required.')).toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0)
    await userEvent.clear(within(first!).getByTestId('edit-reply-content'))
    await userEvent.type(within(first!).getByTestId('edit-reply-content'), 'ok')
    await userEvent.click(within(first!).getByTestId('edit-reply-save'))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ content: 'ok' }),
    )
  })

  it('deletes a reply after asking', async () => {
    const { calls } = show(tess, { more: { 'DELETE /flicket-api/post/31': [204] } })
    const [first] = await cards()
    await userEvent.click(within(first!).getByTestId('delete-reply'))
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0)
    await userEvent.click(await screen.findByTestId('delete-reply-confirm'))
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
        '/flicket-api/post/31',
      ]),
    )
  })
})
