// Outgoing email behind one small interface: an HTTP email API (Resend-style JSON POST) when EMAIL_API_URL, EMAIL_API_KEY
// and EMAIL_FROM are set, otherwise every message is written to the log as one JSON line (with its link).
import type { Context } from 'hono'
import type { AppEnv } from '../lib/app-env'
import { emailApiConfig, httpEmailSender } from './http-api'

/** One message: who gets it, what kind it is (for logs and templates), and its text with the link. */
export interface EmailMessage {
  to: string
  kind: 'invitation' | 'email_verification' | 'notification'
  subject: string
  text: string
  /** The link the message carries; logged when no provider is configured. */
  url: string
}

/** Sends email; implementations must not throw for a delivery failure they can retry themselves. */
export interface EmailSender {
  /** Whether messages actually reach inboxes (false: they only reach the log). */
  readonly delivers: boolean
  send(message: EmailMessage): Promise<void>
}

/** The sender used while no provider is configured: one JSON log line per message, link included. */
export const logEmailSender: EmailSender = {
  delivers: false,
  async send(message) {
    console.log(JSON.stringify({ level: 'info', msg: 'email not sent (no email provider configured)', kind: message.kind, to: message.to, subject: message.subject, url: message.url }))
  },
}

/** The sender for this deployment: the HTTP email API when it is configured, else the log. */
export function emailSender(env: Env): EmailSender {
  const config = emailApiConfig(env)
  return config ? httpEmailSender(config) : logEmailSender
}

/**
 * The origin links in messages point at: `PUBLIC_URL` when set (production, so a forged Host header can never
 * send someone a link to another site), else the request's own origin (local development).
 */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.env.PUBLIC_URL.trim().replace(/\/+$/, '')
  return configured || new URL(c.req.url).origin
}
