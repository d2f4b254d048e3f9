import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import {
  ADMIN_CAN,
  SUPER_CAN,
  categoryFixture,
  departmentFixture,
  meFixture,
  pageOf,
} from '../../test/fixtures'
import { mockApi, renderPage, type MockAnswer } from '../../test/render'
import { DepartmentsPage } from './DepartmentsPage'

const admin = meFixture({ id: 1, username: 'admin', is_admin: true }, ADMIN_CAN)
const superUser = meFixture({ id: 2, username: 'sue', is_super_user: true }, SUPER_CAN)
const plain = meFixture({ id: 5, username: 'tess' })

const departments = [
  departmentFixture({ id: 1, department: 'IT' }),
  departmentFixture({ id: 2, department: 'Facilities' }),
]
const categories = [
  categoryFixture({ id: 11, category: 'Internet', department_id: 1 }),
  categoryFixture({ id: 12, category: 'Intranet', department_id: 1 }),
]

/** The API as this user sees it: each department's own categories. */
function serve(more: Record<string, MockAnswer> = {}) {
  return mockApi({
    'GET /flicket-api/departments/': [200, pageOf(departments)],
    'GET /flicket-api/categories/': (url) => [
      200,
      pageOf(
        categories.filter((c) => c.department_id === Number(url.searchParams.get('department_id'))),
      ),
    ],
    ...more,
  })
}

/** The card of one department, once its categories have loaded. */
async function card(name: string) {
  const heading = await screen.findByRole('heading', { name })
  const el = heading.closest<HTMLElement>('[data-testid="department"]')
  if (!el) throw new Error(`no card for ${name}`)
  return el
}

describe('DepartmentsPage', () => {
  it('shows each department with its own categories', async () => {
    serve()
    renderPage(<DepartmentsPage />, { user: plain })
    const it_ = await card('IT')
    expect(await within(it_).findByText('Internet')).toBeInTheDocument()
    expect(within(it_).getByText('Intranet')).toBeInTheDocument()
    const facilities = await card('Facilities')
    expect(await within(facilities).findByText('No categories yet.')).toBeInTheDocument()
    expect(within(facilities).queryByText('Internet')).toBeNull()
  })

  it('lets someone who is neither admin nor super user read only', async () => {
    serve()
    renderPage(<DepartmentsPage />, { user: plain })
    await within(await card('IT')).findByText('Internet')
    expect(screen.getByText(/please raise a ticket/)).toBeInTheDocument()
    for (const id of [
      'new-department',
      'new-category',
      'rename-department',
      'delete-department',
      'rename-category',
      'delete-category',
    ]) {
      expect(screen.queryByTestId(id)).toBeNull()
    }
  })

  it('lets a super user manage them', async () => {
    serve()
    renderPage(<DepartmentsPage />, { user: superUser })
    expect(await screen.findByTestId('new-department')).toBeInTheDocument()
    await within(await card('IT')).findByText('Internet')
    expect(screen.getAllByTestId('rename-category')).toHaveLength(2)
  })

  it('checks a new name before asking the server', async () => {
    const calls = serve()
    renderPage(<DepartmentsPage />, { user: admin })
    await userEvent.type(await screen.findByTestId('new-department'), 'Fa')
    await userEvent.click(screen.getByTestId('new-department-submit'))
    expect(await screen.findByText('Must be between 3 and 30 characters long.')).toBeInTheDocument()
    await userEvent.clear(screen.getByTestId('new-department'))
    await userEvent.click(screen.getByTestId('new-department-submit'))
    expect(await screen.findByText('This field is required.')).toBeInTheDocument()
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0)
  })

  it('adds a department, its name trimmed, and reloads the list', async () => {
    const calls = serve({
      'POST /flicket-api/departments': [201, departmentFixture({ id: 3, department: 'Garage' })],
    })
    renderPage(<DepartmentsPage />, { user: admin })
    await userEvent.type(await screen.findByTestId('new-department'), '  Garage ')
    await userEvent.click(screen.getByTestId('new-department-submit'))
    await waitFor(() => expect(screen.getByTestId('new-department')).toHaveValue(''))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ department: 'Garage' })
    const lists = () => calls.filter((c) => c.path === '/flicket-api/departments/').length
    await waitFor(() => expect(lists()).toBe(2))
  })

  it('shows the server’s refusal under the name', async () => {
    serve({
      'POST /flicket-api/departments': [
        409,
        {
          error: 'Conflict',
          code: 'validation.failed',
          message: 'department is already taken.',
          errors: [{ field: 'department', code: 'duplicate', message: 'x' }],
        },
      ],
    })
    renderPage(<DepartmentsPage />, { user: admin })
    await userEvent.type(await screen.findByTestId('new-department'), 'IT again')
    await userEvent.click(screen.getByTestId('new-department-submit'))
    expect(await screen.findByText('This is already taken.')).toBeInTheDocument()
    expect(screen.getByTestId('new-department')).toHaveValue('IT again')
  })

  it('adds a category to the department whose form it is', async () => {
    const calls = serve({
      'POST /flicket-api/categories': [201, categoryFixture({ id: 20, department_id: 2 })],
    })
    renderPage(<DepartmentsPage />, { user: admin })
    const facilities = await card('Facilities')
    await userEvent.type(await within(facilities).findByTestId('new-category'), 'Heating')
    await userEvent.click(within(facilities).getByTestId('new-category-submit'))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        category: 'Heating',
        department_id: 2,
      }),
    )
  })

  it('renames a category in place', async () => {
    const calls = serve({
      'PATCH /flicket-api/category/12': [200, categoryFixture({ id: 12, category: 'Wiki' })],
    })
    renderPage(<DepartmentsPage />, { user: admin })
    const it_ = await card('IT')
    await within(it_).findByText('Intranet')
    const row = within(it_)
      .getAllByTestId('category')
      .find((r) => r.textContent.includes('Intranet'))
    await userEvent.click(within(row!).getByTestId('rename-category'))
    const name = within(it_).getByTestId('rename-category-name')
    expect(name).toHaveValue('Intranet')
    await userEvent.clear(name)
    await userEvent.type(name, 'Wiki')
    await userEvent.click(within(it_).getByTestId('rename-category-name-submit'))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
        path: '/flicket-api/category/12',
        body: { category: 'Wiki' },
      }),
    )
    await waitFor(() => expect(within(it_).queryByTestId('rename-category-name')).toBeNull())
  })

  it('says in the dialog why a category in use cannot be deleted', async () => {
    const calls = serve({
      'DELETE /flicket-api/category/11': [
        409,
        {
          error: 'Conflict',
          code: 'category.in_use',
          message: 'The category is used by 3 tickets.',
          errors: [],
        },
      ],
    })
    renderPage(<DepartmentsPage />, { user: admin })
    const it_ = await card('IT')
    await within(it_).findByText('Internet')
    await userEvent.click(within(it_).getAllByTestId('delete-category')[0]!)
    expect(await screen.findByText('Delete the category "Internet"?')).toBeInTheDocument()
    await userEvent.click(screen.getByTestId('delete-category-confirm'))
    const dialog = await screen.findByRole('dialog')
    // Worded by the app from the code, not the server's English.
    expect(await within(dialog).findByTestId('error-banner')).toHaveTextContent(
      'Tickets are filed under this category: move or delete them first.',
    )
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/flicket-api/category/11',
    ])
  })

  it('explains why a department with categories cannot be deleted, without a confirm', async () => {
    const calls = serve()
    renderPage(<DepartmentsPage />, { user: admin })
    const it_ = await card('IT')
    await within(it_).findByText('Internet')
    await userEvent.click(within(it_).getByTestId('delete-department'))
    expect(await screen.findByTestId('delete-department-message')).toHaveTextContent(
      'IT still has 2 categories',
    )
    expect(screen.queryByTestId('delete-department-confirm')).toBeNull()
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([])
    // An empty one asks and deletes.
    const facilities = await card('Facilities')
    await within(facilities).findByText('No categories yet.')
    await userEvent.keyboard('{Escape}')
    await userEvent.click(within(facilities).getByTestId('delete-department'))
    expect(await screen.findByTestId('delete-department-confirm')).toBeInTheDocument()
  })
})
