/** The signed-in user's own things: notifications, queue counts, saved views, dashboard. */
import { api, unwrap } from '../../api/client'
import type { Schema } from '../../api/types'

export type Notification = Schema<'Notification'>

export const myKeys = {
  all: ['my'] as const,
  unreadCount: ['my', 'notifications', 'unread'] as const,
  notifications: ['my', 'notifications', 'list'] as const,
}

export const unreadNotificationCount = async () => {
  const page = await unwrap(
    api.GET('/flicket-api/me/notifications', {
      params: { query: { unread: true, per_page: 1 } },
    }),
  )
  return page._meta.total_items
}

export const listNotifications = (perPage: number) =>
  unwrap(api.GET('/flicket-api/me/notifications', { params: { query: { per_page: perPage } } }))

export const readNotification = (id: number) =>
  unwrap(api.POST('/flicket-api/me/notification/{id}/read', { params: { path: { id } } }))

export const readAllNotifications = () => unwrap(api.POST('/flicket-api/me/notifications/read'))

export type QueueCounts = Schema<'QueueCounts'>

export const getQueueCounts = () => unwrap(api.GET('/flicket-api/me/queues'))
