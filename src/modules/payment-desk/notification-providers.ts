import { Modules } from "@medusajs/framework/utils"
import type { ConfigModule } from "@medusajs/framework/types"

type ProviderEntry = { options?: { channels?: unknown } }
type CloudOptions = { api_key?: string; endpoint?: string; environment_handle?: string; sandbox_handle?: string }

/** How to give the store an email provider; the boot warning and docs/emails.md say it. */
export const EMAIL_PROVIDER_HINT =
  'register one for the "email" channel in medusa-config.ts, e.g. modules: [{ resolve: "@medusajs/medusa/notification", ' +
  'options: { providers: [{ resolve: "@medusajs/medusa/notification-sendgrid", id: "sendgrid", ' +
  'options: { channels: ["email"], api_key: process.env.SENDGRID_API_KEY, from: process.env.SENDGRID_FROM } }] } }]'

/**
 * Whether the store's config gives the Notification Module a provider for
 * `channel`, by the rule its provider loader registers them: a provider whose
 * `options.channels` names the channel, or for `email` Medusa Cloud's email
 * provider when the cloud options are complete.
 */
export function channelConfigured(config: ConfigModule, channel: string): boolean {
  const declaration = config.modules?.[Modules.NOTIFICATION]
  const options = (typeof declaration === "object" && declaration ? declaration.options : undefined) as
    | { providers?: ProviderEntry[]; cloud?: CloudOptions }
    | undefined
  const providers = options?.providers ?? []
  if (providers.some((p) => Array.isArray(p.options?.channels) && p.options.channels.includes(channel))) {
    return true
  }
  const cloud = options?.cloud
  return (
    channel === "email" &&
    Boolean(cloud?.api_key && cloud.endpoint && (cloud.environment_handle || cloud.sandbox_handle))
  )
}
