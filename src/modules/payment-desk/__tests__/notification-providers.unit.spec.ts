import { ContainerRegistrationKeys, defineConfig } from "@medusajs/framework/utils"
import { asValue, createContainer } from "@medusajs/framework/awilix"
import type { ConfigModule, LoaderOptions } from "@medusajs/framework/types"
import { channelConfigured } from "../notification-providers"
import warnMissingEmailProvider from "../loaders/warn-missing-email-provider"

const notificationModule = (options: Record<string, unknown>) =>
  defineConfig({
    projectConfig: { databaseUrl: "postgres://localhost/none" },
    modules: [{ resolve: "@medusajs/medusa/notification", options }],
  }) as unknown as ConfigModule

const sendgrid = { resolve: "@medusajs/medusa/notification-sendgrid", id: "sendgrid", options: { channels: ["email"] } }
const local = { resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels: ["feed"] } }

describe("which notification channels a store has a provider for", () => {
  it("has only the feed by Medusa's default", () => {
    const config = defineConfig({ projectConfig: { databaseUrl: "postgres://localhost/none" } }) as unknown as ConfigModule
    expect(channelConfigured(config, "feed")).toBe(true)
    expect(channelConfigured(config, "email")).toBe(false)
  })

  it("finds a provider registered for email", () => {
    const config = notificationModule({ providers: [local, sendgrid] })
    expect(channelConfigured(config, "email")).toBe(true)
    expect(channelConfigured(config, "sms")).toBe(false)
  })

  it("counts Medusa Cloud's email provider only with complete cloud options, as the Notification Module does", () => {
    const cloud = { api_key: "k", endpoint: "https://emails.example", environment_handle: "env" }
    expect(channelConfigured(notificationModule({ providers: [local], cloud }), "email")).toBe(true)
    expect(channelConfigured(notificationModule({ providers: [local], cloud: { ...cloud, endpoint: undefined } }), "email")).toBe(false)
  })

  it("warns once at boot, naming how to register an email provider, only when there is none", async () => {
    const boot = async (config: ConfigModule) => {
      const warn = jest.fn()
      const container = createContainer()
      container.register({
        [ContainerRegistrationKeys.CONFIG_MODULE]: asValue(config),
        [ContainerRegistrationKeys.LOGGER]: asValue({ warn }),
      })
      await warnMissingEmailProvider({ container } as unknown as LoaderOptions)
      return warn.mock.calls.map(([message]) => message as string)
    }
    const warnings = await boot(notificationModule({ providers: [local] }))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('no notification provider for the "email" channel')
    expect(warnings[0]).toContain('channels: ["email"]')
    expect(await boot(notificationModule({ providers: [local, sendgrid] }))).toEqual([])
  })
})
