import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api } from "../helpers/http"
import { processOrderClosureWorkflow } from "../../src/workflows/closures/process-order-closure"
import { closureFeedText } from "../../src/workflows/notifications/steps/send-closure-notifications"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import { sendNotificationOnce } from "../../src/utils/notifications/send-once"

jest.setTimeout(300_000)

// A store like Medusa's default: the notification provider serves the admin feed only, no email.
const channelsBefore = process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS
process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS = "feed"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "No email spec" })
      admin = await adminHeaders(getContainer(), http)
    })
    afterAll(() => {
      if (channelsBefore === undefined) delete process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS
      else process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS = channelsBefore
    })

    const notifications = () => getContainer().resolve(Modules.NOTIFICATION)
    const closed = () =>
      TestEventUtils.waitSubscribersExecution("payment_desk.order_closed", getContainer().resolve(Modules.EVENT_BUS))
    const closeOrder = async (email: string) => {
      const { order_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email,
        items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
      })
      const done = closed()
      const { data } = await http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "other" }, admin)
      await done
      return { order_id, closure_id: data.order_closure.id as string }
    }
    const feedOf = async (closureId: string) =>
      notifications().listNotifications({ channel: "feed", idempotency_key: `payment-desk-order-closed-feed-${closureId}` } as object)

    it("closes an order with no email provider: no email attempted, the admin feed posted once", async () => {
      const { order_id, closure_id } = await closeOrder("no-email@example.com")
      expect(await notifications().listNotifications({ to: "no-email@example.com" })).toEqual([])
      const feed = await feedOf(closure_id)
      expect(feed).toHaveLength(1)
      expect(feed[0]).toMatchObject({ status: "success", template: "admin-ui" })
      // In words: the reason, who closed it by name, no codes.
      const { display_id } = (await http.get(`/admin/orders/${order_id}?fields=display_id`, admin)).data.order
      expect(feed[0].data).toMatchObject({ order_id, title: `Order #${display_id} closed`, description: "Other, closed by Demo Admin" })
      // In the language the options name, with the job that acted and the amount formatted.
      const closure = await getContainer().resolve(PAYMENT_DESK_MODULE).retrieveOrderClosure(closure_id)
      const german = await closureFeedText(
        getContainer(),
        { ...closure, reason: "payment_timeout", actor_type: "system", actor_id: "close-unpaid-orders", refunded_amount: 50, currency_code: "eur" },
        12,
        "de"
      )
      expect({ ...german, description: german.description.replace(/\u00a0/g, " ") }).toEqual({
        title: "Bestellung #12 geschlossen",
        description: "Zahlung nicht rechtzeitig eingegangen, geschlossen von Automatisches Schließen; 50,00 € erstattet",
      })

      const again = await processOrderClosureWorkflow(getContainer()).run({ input: { order_closure_id: closure_id } })
      expect(again.result.notified).toEqual({ sent: [], skipped: ["customer_email"] })
      expect(await feedOf(closure_id)).toHaveLength(1)
    })

    it("two senders of one message at once: one sends it, the other finds it sent (no clash for Medusa to log)", async () => {
      const message = { to: "", channel: "feed", template: "admin-ui", data: { title: "Twice" }, idempotency_key: "payment-desk-spec-race" }
      const outcomes = await Promise.all([sendNotificationOnce(getContainer(), message), sendNotificationOnce(getContainer(), message)])
      expect(outcomes.sort()).toEqual(["duplicate", "sent"])
      expect(await notifications().listNotifications({ idempotency_key: "payment-desk-spec-race" } as object)).toHaveLength(1)
    })

    it("sends a message again when the earlier send failed, and then only once", async () => {
      const { closure_id } = await closeOrder("retry@example.com")
      const [first] = await feedOf(closure_id)
      // As the Notification Module leaves a send that the provider refused.
      await (notifications() as unknown as { updateNotifications(data: object): Promise<unknown> }).updateNotifications({
        id: first.id,
        status: "failure",
      })

      const retried = await processOrderClosureWorkflow(getContainer()).run({ input: { order_closure_id: closure_id } })
      expect(retried.result.notified).toEqual({ sent: ["admin_feed"], skipped: ["customer_email"] })
      const feed = await feedOf(closure_id)
      expect(feed).toHaveLength(1)
      expect(feed[0]).toMatchObject({ status: "success" })

      const third = await processOrderClosureWorkflow(getContainer()).run({ input: { order_closure_id: closure_id } })
      expect(third.result.notified).toEqual({ sent: [], skipped: ["customer_email"] })
      expect(await feedOf(closure_id)).toHaveLength(1)
    })
  },
})
