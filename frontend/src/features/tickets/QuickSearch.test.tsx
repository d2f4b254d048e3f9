import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { meFixture, pageOf, ticketFixture } from '../../test/fixtures'
import { renderApp } from '../../test/app'

const me = meFixture({ id: 7, username: 'tess' })

/** A network whose search answers wait until released; records each request. */
function slowSearch() {
  const requests: { q: string; signal: AbortSignal; release: () => void }[] = []
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init)
    const url = new URL(req.url)
    if (url.pathname !== '/flicket-api/tickets/') {
      return Promise.resolve(new Response(null, { status: 204 }))
    }
    const q = url.searchParams.get('q') ?? ''
    return new Promise<Response>((resolve, reject) => {
      req.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      requests.push({
        q,
        signal: req.signal,
        release: () =>
          resolve(
            new Response(
              JSON.stringify(
                pageOf([ticketFixture({ id: 12, number: '00012', title: `${q} ticket` })]),
              ),
              { status: 200, headers: { 'Content-Type': 'application/json' } },
            ),
          ),
      })
    })
  }
  return requests
}

describe('QuickSearch', () => {
  it('searches as you type, once per pause, and cancels the stale request', async () => {
    const requests = slowSearch()
    renderApp('/', me)
    const box = await screen.findByTestId('header-search', {}, { timeout: 10_000 })
    expect(box).toHaveAttribute('role', 'combobox')
    box.focus()
    fireEvent.change(box, { target: { value: 'p' } })
    fireEvent.change(box, { target: { value: 'printer' } })
    await waitFor(() => expect(requests.map((r) => r.q)).toEqual(['printer']))
    fireEvent.change(box, { target: { value: 'printer blank' } })
    await waitFor(() => expect(requests.map((r) => r.q)).toEqual(['printer', 'printer blank']))
    // The first answer is no longer wanted: its request was aborted.
    expect(requests[0]?.signal.aborted).toBe(true)
    expect(requests[1]?.signal.aborted).toBe(false)
    requests[1]?.release()
    const option = await screen.findByRole('option', { name: /printer blank ticket/ })
    expect(box).toHaveAttribute('aria-expanded', 'true')

    // Arrows move through the options, Enter opens the one chosen.
    fireEvent.keyDown(box, { key: 'ArrowDown' })
    expect(option).toHaveAttribute('aria-selected', 'true')
    expect(box).toHaveAttribute('aria-activedescendant', option.id)
    fireEvent.keyDown(box, { key: 'Escape' })
    expect(screen.queryByRole('listbox')).toBeNull()
  })

  it('opens the full list on Enter', async () => {
    const requests = slowSearch()
    renderApp('/', me)
    const box = await screen.findByTestId('header-search', {}, { timeout: 10_000 })
    box.focus()
    fireEvent.change(box, { target: { value: 'café crème' } })
    fireEvent.keyDown(box, { key: 'Enter' })
    await waitFor(() => expect(requests.some((r) => r.q === 'café crème')).toBe(true))
    expect(box).toHaveValue('café crème')
  })
})
