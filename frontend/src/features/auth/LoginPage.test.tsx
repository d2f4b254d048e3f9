import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockApi, renderPage } from '../../test/render'
import { LoginPage } from './LoginPage'

describe('LoginPage', () => {
  it('checks required fields before calling the API', async () => {
    const calls = mockApi({})
    renderPage(<LoginPage />, { path: '/login', url: '/login' })
    await userEvent.click(screen.getByTestId('login-submit'))
    expect(await screen.findAllByText('This field is required.')).toHaveLength(2)
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
  })

  it('shows the API field errors next to their field', async () => {
    mockApi({
      'POST /flicket-api/session': [
        422,
        {
          error: 'Unprocessable Entity',
          code: 'validation.failed',
          message: 'username must be at most 254 characters long.',
          errors: [
            {
              field: 'username',
              code: 'max',
              message: 'username must be at most 254 characters long.',
            },
          ],
        },
      ],
    })
    renderPage(<LoginPage />, { path: '/login', url: '/login' })
    await userEvent.type(screen.getByTestId('login-username'), 'someone')
    await userEvent.type(screen.getByTestId('login-password'), 'pw')
    await userEvent.click(screen.getByTestId('login-submit'))
    const input = screen.getByTestId('login-username')
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'))
    expect(screen.getByText('username must be at most 254 characters long.')).toBeInTheDocument()
    expect(screen.queryByTestId('error-banner')).toBeNull()
  })

  it('shows a refused sign-in as a translated banner and sends remember', async () => {
    const calls = mockApi({
      'POST /flicket-api/session': [
        401,
        { error: 'Unauthorized', code: 'auth.invalid_credentials', message: 'x', errors: [] },
      ],
    })
    renderPage(<LoginPage />, { path: '/login', url: '/login' })
    await userEvent.type(screen.getByTestId('login-username'), 'ann')
    await userEvent.type(screen.getByTestId('login-password'), 'bad')
    await userEvent.click(screen.getByTestId('login-remember'))
    await userEvent.click(screen.getByTestId('login-submit'))
    expect(await screen.findByTestId('error-banner')).toHaveTextContent(
      'The username or password is wrong.',
    )
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      username: 'ann',
      password: 'bad',
      remember: true,
    })
  })
})
