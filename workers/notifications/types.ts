// What a notification can be about (every domain event type, plus the webhook endpoint turned off), which channels
// exist, and the defaults a person has before saving any preference.
import { DOMAIN_EVENT_TYPES } from '../db/schema/events'
import { NOTIFICATION_CHANNELS, type NotificationChannel } from '../db/schema/notifications'
import type { MemberRole } from '../db/schema/tenants'

export { NOTIFICATION_CHANNELS, type NotificationChannel }

/** Every notification type: the domain events and `webhook.endpoint_disabled`. */
export const NOTIFICATION_TYPES = [...DOMAIN_EVENT_TYPES, 'webhook.endpoint_disabled'] as const
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/** One preference: which channels a type reaches a person on. */
export interface ChannelChoice {
  inApp: boolean
  email: boolean
}

const OFF: ChannelChoice = { inApp: false, email: false }
const BOTH: ChannelChoice = { inApp: true, email: true }

/** Owners get these in the app and by email unless they change it; nobody gets anything else by default. */
export const OWNER_DEFAULT_TYPES: readonly NotificationType[] = ['stock.out', 'payment.failed', 'chat.handoff_requested', 'webhook.endpoint_disabled']
/** Admins are told when a webhook endpoint they manage is turned off. */
export const ADMIN_DEFAULT_TYPES: readonly NotificationType[] = ['webhook.endpoint_disabled']

/** The default channels for `type` and a person of `role`. */
export function defaultChoice(role: MemberRole, type: NotificationType): ChannelChoice {
  if (role === 'owner' && OWNER_DEFAULT_TYPES.includes(type)) return BOTH
  if (role === 'admin' && ADMIN_DEFAULT_TYPES.includes(type)) return BOTH
  return OFF
}

/** Whether `value` is a notification type. */
export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value)
}
