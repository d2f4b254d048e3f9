/**
 * Point 1 of the daily-use work: never lose one's place or text. Sign-in
 * follows `next`, drafts are kept per user and ticket, leaving with unsent
 * text asks first, and a submit runs once with an idempotency key.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { draftKey } from '../components/drafts'
import { meFixture, pageOf, postFixture, ticketDetailFixture } from '../test/fixtures'
import { renderApp } from '../test/app'
import { mockApi, type MockAnswer } from '../test/render'

const me = meFixture({ id: 7, username: 'tess' })
const ticket45: Record<string, MockAnswer> = {
  'GET /flicket-api/ticket/45': [
    200,
    ticketDetailFixture({ id: 45, title: 'Printer on fire' }, { reply: true }),
  ],
  'GET /flicket-api/posts/45/1/': [200, pageOf([])],
}

describe('signing in', () => {
  it('opens the page asked for (next), not the dashboard', async () => {
    mockApi({ ...ticket45, 'POST /flicket-api/session': [200, me] })
    renderApp('/tickets/45', null)
    await userEvent.type(await screen.findByTestId('login-username'), 'tess')
    await userEvent.type(screen.getByTestId('login-password'), 'secret')
    await userEvent.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('ticket-heading')).toHaveTextContent('Printer on fire')
  })

  it('sends an already signed-in user on to next, and never off the site', async () => {
    mockApi(ticket45)
    renderApp('/login?next=%2Ftickets%2F45', me)
    expect(await screen.findByTestId('ticket-heading')).toBeInTheDocument()
  })
})

describe('reply drafts', () => {
  it('are saved per user and ticket as typed, restored, and dropped once sent', async () => {
    const calls = mockApi({
      ...ticket45,
      'POST /flicket-api/posts': [201, postFixture({ id: 9, ticket_id: 45 })],
    })
    localStorage.setItem(
      draftKey(7, 'reply.45'),
      JSON.stringify({ savedAt: new Date().toISOString(), value: 'Half-written answer' }),
    )
    // Another user's draft for the same ticket stays theirs.
    localStorage.setItem(
      draftKey(8, 'reply.45'),
      JSON.stringify({ savedAt: new Date().toISOString(), value: 'Not yours' }),
    )
    renderApp('/tickets/45', me)
    const box = await screen.findByTestId('reply-content')
    expect(box).toHaveValue('Half-written answer')
    expect(screen.getByTestId('reply-draft-restored')).toBeInTheDocument()
    await userEvent.type(box, ', done')
    const saved = JSON.parse(localStorage.getItem(draftKey(7, 'reply.45')) ?? '{}') as {
      value?: string
    }
    expect(saved.value).toBe('Half-written answer, done')

    await userEvent.click(screen.getByTestId('reply-submit'))
    await waitFor(() => expect(localStorage.getItem(draftKey(7, 'reply.45'))).toBeNull())
    const post = calls.find((c) => c.method === 'POST' && c.path === '/flicket-api/posts')
    expect(post?.body).toMatchObject({ ticket_id: 45, content: 'Half-written answer, done' })
    expect(localStorage.getItem(draftKey(8, 'reply.45'))).not.toBeNull()
  })

  it('survive an expired session: sign-in, then the ticket and its draft are back', async () => {
    let signedIn = true
    mockApi({
      ...ticket45,
      'POST /flicket-api/posts': () =>
        signedIn
          ? [201, postFixture()]
          : [401, { error: 'Unauthorized', code: 'auth.token_expired', message: 'x', errors: [] }],
      'POST /flicket-api/session': () => {
        signedIn = true
        return [200, me]
      },
    })
    renderApp('/tickets/45', me)
    await userEvent.type(await screen.findByTestId('reply-content'), 'Long careful answer')
    signedIn = false
    await userEvent.click(screen.getByTestId('reply-submit'))
    // Sent to sign in (no leave dialog in the way), the draft kept.
    await userEvent.type(await screen.findByTestId('login-username'), 'tess')
    expect(screen.queryByTestId('leave-dialog')).toBeNull()
    await userEvent.type(screen.getByTestId('login-password'), 'secret')
    await userEvent.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('reply-content')).toHaveValue('Long careful answer')
  })
})

describe('leaving with unsent text', () => {
  it('asks first, inside the app and on unload; nothing asked when nothing is typed', async () => {
    mockApi({ ...ticket45, 'GET /flicket-api/tickets/': [200, pageOf([])] })
    renderApp('/tickets/45', me)
    await screen.findByTestId('reply-content')
    const unload = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(unload)
    expect(unload.defaultPrevented).toBe(false)

    await userEvent.type(screen.getByTestId('reply-content'), 'Not sent yet')
    const unload2 = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(unload2)
    expect(unload2.defaultPrevented).toBe(true)

    await userEvent.click(screen.getByTestId('nav-tickets'))
    expect(await screen.findByTestId('leave-dialog')).toBeInTheDocument()
    await userEvent.click(screen.getByTestId('leave-stay'))
    expect(screen.getByTestId('reply-content')).toHaveValue('Not sent yet')
    await userEvent.click(screen.getByTestId('nav-tickets'))
    await userEvent.click(await screen.findByTestId('leave-confirm'))
    await waitFor(() => expect(screen.queryByTestId('reply-content')).toBeNull())
  })
})

describe('new-ticket drafts and one submit at a time', () => {
  it('restores the new ticket, sends it once with an idempotency key, and forgets the draft', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const seen: { key: string | null }[] = []
    const calls = mockApi({
      ...ticket45,
      'GET /flicket-api/departments/': [200, pageOf([])],
      'GET /flicket-api/priorities/': [200, pageOf([])],
      'POST /flicket-api/tickets': [201, ticketDetailFixture({ id: 45 })],
    })
    const mocked = globalThis.fetch
    globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init)
      if (req.method === 'POST') {
        seen.push({ key: req.headers.get('Idempotency-Key') })
        await gate
      }
      return mocked(req)
    }
    localStorage.setItem(
      draftKey(7, 'new-ticket'),
      JSON.stringify({
        savedAt: new Date().toISOString(),
        value: {
          title: 'Scanner offline',
          content: 'Since this morning.',
          department_id: '1',
          category_id: '2',
          ticket_priority_id: '2',
          hours: 0,
        },
      }),
    )
    renderApp('/tickets/new', me)
    expect(await screen.findByTestId('ticket-title')).toHaveValue('Scanner offline')
    expect(screen.getByTestId('ticket-draft-restored')).toBeInTheDocument()
    const submit = screen.getByTestId('ticket-submit')
    // Two clicks in one frame, before React can disable the button.
    fireEvent.click(submit)
    fireEvent.click(submit)
    release()
    expect(await screen.findByTestId('ticket-heading')).toBeInTheDocument()
    expect(
      calls.filter((c) => c.path === '/flicket-api/tickets' && c.method === 'POST'),
    ).toHaveLength(1)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.key).toMatch(/^[0-9a-f-]{36}\.ticket$/)
    expect(localStorage.getItem(draftKey(7, 'new-ticket'))).toBeNull()
  })
})
