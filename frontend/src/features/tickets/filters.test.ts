import { describe, expect, it } from 'vitest'
import {
  apiQuery,
  emptyFilters,
  exportUrl,
  filtersToParams,
  isFiltered,
  parseFilters,
  updateFilters,
} from './filters'

const parse = (s: string) => parseFilters(new URLSearchParams(s))

describe('ticket filters in the URL', () => {
  it('defaults to open tickets by priority, page 1', () => {
    expect(parse('')).toEqual(emptyFilters)
    expect(filtersToParams(emptyFilters).toString()).toBe('')
    expect(isFiltered(emptyFilters)).toBe(false)
  })

  it('round-trips every filter', () => {
    const s =
      'state=all&view=mine&department_id=2&category_id=5&status_id=3&priority_id=3&user_id=7&assigned_id=8&created_id=9&q=printer+jam&sort=title_desc&page=4'
    const f = parse(s)
    expect(f).toMatchObject({
      state: 'all',
      view: 'mine',
      department_id: 2,
      category_id: 5,
      status_id: 3,
      priority_id: 3,
      user_id: 7,
      assigned_id: 8,
      created_id: 9,
      q: 'printer jam',
      sort: 'title_desc',
      page: 4,
    })
    expect(parse(filtersToParams(f).toString())).toEqual(f)
    expect(isFiltered(f)).toBe(true)
  })

  it('ignores malformed values instead of failing', () => {
    const f = parse(
      'state=bogus&view=x&department_id=abc&status_id=-1&user_id=1e3&sort=drop+table&page=0',
    )
    expect(f).toEqual(emptyFilters)
  })

  it('drops a category without its department', () => {
    expect(parse('category_id=5').category_id).toBeNull()
  })

  it('goes back to page 1 on a filter change, and clears the category with a new department', () => {
    const f = parse('department_id=2&category_id=5&page=3')
    const g = updateFilters(f, { department_id: 4 })
    expect(g).toMatchObject({ department_id: 4, category_id: null, page: 1 })
    expect(updateFilters(f, { q: 'x' })).toMatchObject({ category_id: 5, page: 1 })
    expect(updateFilters(f, { page: 7 }).page).toBe(7)
  })

  it('sends the same filters to the API and the CSV export', () => {
    const f = parse('view=subscribed&status_id=3&q=vpn&department_id=2&user_id=7&assigned_id=8')
    expect(apiQuery(f)).toEqual({
      state: 'open',
      sort: 'priority_desc',
      view: 'subscribed',
      department: '2',
      status: '3',
      user: '7',
      assigned_id: 8,
      q: 'vpn',
    })
    expect(exportUrl(f)).toBe(
      '/flicket-api/tickets/export.csv?sort=priority_desc&state=open&view=subscribed&department=2&status=3&user=7&assigned_id=8&q=vpn',
    )
    // "All" states is no state filter at all.
    expect(apiQuery(parse('state=all')).state).toBeUndefined()
  })
})
