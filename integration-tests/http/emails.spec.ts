import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders } from "../helpers/http"
import { faultOnce } from "../helpers/faults"
import { useFakeStripe } from "../helpers/stripe-env"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import remindUnpaidOrdersJob from "../../src/jobs/remind-unpaid-orders"
import { dispatchOrdersToRemind, remindOrderBatch } from "../../src/workflows/notifications/remind-unpaid-orders"
import { findOrdersToRemind } from "../../src/utils/notifications/payment-reminders"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import { sendPaymentInstructionsWorkflow } from "../../src/workflows/notifications/send-payment-instructions"
import { notifyRefundWorkflow } from "../../src/workflows/notifications/notify-refund"
import { remindUnpaidOrderWorkflow } from "../../src/workflows/notifications/remind-unpaid-order"

jest.setTimeout(300_000)

// A store whose notification provider serves email (notification-local logs it), plus a fake Stripe for card orders.
const channelsBefore = process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS
process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS = "email,feed"
const stripe = useFakeStripe()

type NotificationRow = {
  id: string
  to: string
  channel: string
  template: string
  status: string
  idempotency_key: string
  data: Record<string, any>
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer(), {
        name: "Emails spec",
        paymentProviders: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery", "pp_stripe_stripe"],
      })
      admin = await adminHeaders(getContainer(), http)
    })
    beforeEach(() => {
      stripe.refundMode = "succeed"
    })
    afterAll(() => {
      if (channelsBefore === undefined) delete process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS
      else process.env.PAYMENT_DESK_NOTIFICATION_CHANNELS = channelsBefore
    })

    const notifications = () => getContainer().resolve(Modules.NOTIFICATION)
    const emailsWith = async (filters: Record<string, unknown>): Promise<NotificationRow[]> =>
      (await notifications().listNotifications({ channel: "email", ...filters } as object, {
        order: { created_at: "ASC" },
      })) as unknown as NotificationRow[]
    const byKey = (key: string) => emailsWith({ idempotency_key: key })
    const subscribersOf = (event: string) =>
      // A storefront checkout on a loaded 2-core machine can take longer than the default 15 s.
      TestEventUtils.waitSubscribersExecution(event, getContainer().resolve(Modules.EVENT_BUS), { timeout: 60_000 })

    /** A storefront checkout by a new customer, waiting for the order.placed subscribers. */
    async function checkoutAs(email: string, providerId: string) {
      const customer = await customerHeaders(http, store, email)
      const placed = subscribersOf("order.placed")
      const order = await checkout(http, store, customer, providerId)
      await placed
      return order as { id: string; display_id: number; email: string }
    }

    /** A bank-transfer order placed in the back end (completing the cart emits order.placed). */
    async function bankOrder(email: string) {
      const placed = subscribersOf("order.placed")
      const { order_id, payment_id } = await placeOrder(getContainer(), store, {
        provider_id: "pp_manual_bank-transfer",
        email,
        items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
      })
      await placed
      return { order_id, payment_id }
    }

    /** Moves an order's creation (and so its pay-by date, 48 h later) back by `hours`. */
    async function backdate(orderId: string, hours: number) {
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(`update "order" set created_at = created_at - (? * interval '1 hour') where id = ?`, [hours, orderId])
    }

    async function recordPayment(orderId: string, amount: number) {
      const recorded = subscribersOf("payment_desk.payment_recorded")
      await http.post(`/admin/payment-desk/orders/${orderId}/payments`, { amount, method: "bank-transfer" }, admin)
      await recorded
    }

    /** A card order of €110 paid with Stripe and captured, as Medusa's admin does it. */
    async function paidCardOrder(email: string) {
      const order = await checkoutAs(email, "pp_stripe_stripe")
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["payment_collections.payments.id"],
        filters: { id: order.id },
      })
      await http.post(`/admin/payments/${data[0].payment_collections[0].payments[0].id}/capture`, {}, admin)
      return order
    }

    const refund = async (orderId: string, body: Record<string, unknown>, key: string, events: string[]) => {
      const done = Promise.all(events.map(subscribersOf))
      const { data } = await http.post(`/admin/payment-desk/orders/${orderId}/refunds`, body, {
        headers: { ...admin.headers, "idempotency-key": key },
      })
      await done
      return data.refund_request as { id: string; status: string }
    }

    it("emails the payment instructions of a bank-transfer checkout once: reference, IBAN, amount due and GiroCode", async () => {
      const order = await checkoutAs("instructions@example.com", "pp_manual_bank-transfer")
      const rows = await byKey(`payment-desk-instructions-${order.id}`)
      expect(rows).toHaveLength(1)
      const [email] = rows
      expect(email).toMatchObject({
        to: "instructions@example.com",
        template: "payment-desk-payment-instructions",
        status: "success",
      })
      expect(email.data).toMatchObject({
        order_id: order.id,
        order_display_id: order.display_id,
        customer_email: "instructions@example.com",
        payment_method: "bank-transfer",
        payment_method_name: "Bank transfer",
        reference: creditorReference(order.display_id),
        account: { account_holder: "Payment Desk Demo GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
        amount_due: 110,
        amount_due_formatted: "110.00 EUR",
        currency_code: "eur",
        pay_by: expect.any(String),
        instructions: expect.stringContaining(creditorReference(order.display_id)),
        qr_svg: expect.stringMatching(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/),
        epc_payload: expect.stringContaining("DE89370400440532013000"),
      })
      expect(email.data.epc_payload).toContain("EUR110.00")

      // The event again (a redelivery): no second email.
      const again = await sendPaymentInstructionsWorkflow(getContainer()).run({ input: { order_id: order.id } })
      expect(again.result).toEqual({ outcome: "duplicate" })
      expect(await byKey(`payment-desk-instructions-${order.id}`)).toHaveLength(1)
    })

    it("sends no payment instructions for a card order", async () => {
      const order = await checkoutAs("card-buyer@example.com", "pp_stripe_stripe")
      expect(await byKey(`payment-desk-instructions-${order.id}`)).toEqual([])
      expect(await emailsWith({ to: "card-buyer@example.com" })).toEqual([])
      const direct = await sendPaymentInstructionsWorkflow(getContainer()).run({ input: { order_id: order.id } })
      expect(direct.result).toEqual({ outcome: "not_wanted", why: "the order is not paid with a manual method" })
    })

    it("sends the instructions on the step's retry when the email provider throws once, still one email", async () => {
      const registry = (notifications() as unknown as { notificationProviderService_: object }).notificationProviderService_
      const fault = faultOnce(registry, "send", {
        when: (_provider: unknown, data: { to?: string }) => data?.to === "flaky@example.com",
        error: new Error("SMTP 421 try again later"),
      })
      try {
        const order = await checkoutAs("flaky@example.com", "pp_manual_bank-transfer")
        expect(fault.fired).toBe(1)
        const rows = await byKey(`payment-desk-instructions-${order.id}`)
        expect(rows).toHaveLength(1)
        expect(rows[0]).toMatchObject({ status: "success", to: "flaky@example.com" })
        expect(fault.calls).toBe(2)
        const again = await sendPaymentInstructionsWorkflow(getContainer()).run({ input: { order_id: order.id } })
        expect(again.result).toEqual({ outcome: "duplicate" })
        expect(await emailsWith({ to: "flaky@example.com" })).toHaveLength(1)
      } finally {
        fault.restore()
      }
    })

    it("reminds an unpaid order near its deadline once; never a paid, closed, far-off or overdue one", async () => {
      const due = await bankOrder("remind-me@example.com")
      const sooner = await bankOrder("remind-me-first@example.com")
      const paid = await bankOrder("remind-paid@example.com")
      const closed = await bankOrder("remind-closed@example.com")
      const farOff = await bankOrder("remind-later@example.com")
      const overdue = await bankOrder("remind-overdue@example.com")
      await recordPayment(paid.order_id, 110)
      const closing = subscribersOf("payment_desk.order_closed")
      await http.post(`/admin/payment-desk/orders/${closed.order_id}/close`, { reason: "other" }, admin)
      await closing
      // 48 h windows: 18 h left for three of them and 17 h for one (inside the default 24 h), 47 h for one, 2 h ago for the last.
      for (const order of [due, paid, closed]) {
        await backdate(order.order_id, 30)
      }
      await backdate(sooner.order_id, 31)
      await backdate(farOff.order_id, 1)
      await backdate(overdue.order_id, 50)

      // The candidates, a page of one at a time: soonest deadline first, then nothing more.
      const page1 = await findOrdersToRemind(getContainer(), { within_hours: 24, limit: 1 })
      expect(page1.map((c) => c.order_id)).toEqual([sooner.order_id])
      const page2 = await findOrdersToRemind(getContainer(), { within_hours: 24, limit: 1, after: page1[0].cursor })
      expect(page2.map((c) => c.order_id)).toEqual([due.order_id])
      expect(await findOrdersToRemind(getContainer(), { within_hours: 24, limit: 1, after: page2[0].cursor })).toEqual([])

      const first = await remindUnpaidOrdersJob(getContainer())
      expect(first).toEqual({ sent: 2, skipped: 0, failed: 0 })
      expect(await findOrdersToRemind(getContainer(), { within_hours: 24, limit: 10 })).toEqual([])
      const second = await remindUnpaidOrdersJob(getContainer())
      expect(second).toEqual({ sent: 0, skipped: 0, failed: 0 })

      const reminders = await byKey(`payment-desk-reminder-${due.order_id}`)
      expect(reminders).toHaveLength(1)
      expect(reminders[0]).toMatchObject({ to: "remind-me@example.com", template: "payment-desk-payment-reminder", status: "success" })
      expect(reminders[0].data).toMatchObject({
        order_id: due.order_id,
        customer_email: "remind-me@example.com",
        amount_due: 110,
        amount_due_formatted: "110.00 EUR",
        hours_left: 17,
        reference: expect.stringMatching(/^RF/),
        account: expect.objectContaining({ iban: "DE89370400440532013000" }),
        qr_svg: expect.stringContaining("<svg"),
      })
      expect((await byKey(`payment-desk-reminder-${sooner.order_id}`))[0].data).toMatchObject({ hours_left: 16 })
      for (const other of [paid, closed, farOff, overdue]) {
        expect(await byKey(`payment-desk-reminder-${other.order_id}`)).toEqual([])
      }
      // Asked for directly, the workflow checks again and says why not.
      const direct = await remindUnpaidOrderWorkflow(getContainer()).run({ input: { order_id: paid.order_id } })
      expect(direct.result).toEqual({ outcome: "not_wanted", why: "nothing is due" })
      const late = await remindUnpaidOrderWorkflow(getContainer()).run({ input: { order_id: farOff.order_id } })
      expect(late.result).toEqual({ outcome: "not_wanted", why: "the deadline is not within the reminder window" })
    })

    it("on a fleet, hands the orders to remind to the workers in batches; a batch delivered twice reminds each order once", async () => {
      // Batches of two (the job hands out REMINDER_BATCH): three orders make a full batch and a short one.
      const BATCH = 2
      const orders = []
      for (let i = 0; i < BATCH + 1; i++) {
        orders.push(await bankOrder(`fleet-remind-${i}@example.com`))
      }
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(`update "order" set created_at = created_at - interval '30 hours' where id = any(?)`, [orders.map((o) => o.order_id)])
      const ids = orders.map((o) => o.order_id)
      const logger = getContainer().resolve(ContainerRegistrationKeys.LOGGER)

      // The job's fleet half: two events (2 + 1 orders), which the plugin's
      // subscriber takes (here the local event bus, in this process).
      const found = TestEventUtils.waitSubscribersExecution("payment_desk.orders_to_remind_found", getContainer().resolve(Modules.EVENT_BUS), {
        timeout: 60_000,
        triggerCount: 2,
      })
      expect(await dispatchOrdersToRemind(getContainer(), 24, new Date(), BATCH)).toEqual({ due: BATCH + 1, batches: 2 })
      await found
      for (const order of orders) {
        expect(await byKey(`payment-desk-reminder-${order.order_id}`)).toHaveLength(1)
      }
      // A batch delivered again (its worker died before BullMQ heard back) and
      // a later run: nothing is sent twice, and nothing is left to hand out.
      expect(await remindOrderBatch(getContainer(), ids.slice(0, BATCH), logger)).toEqual({ sent: 0, skipped: BATCH, failed: 0 })
      expect(await dispatchOrdersToRemind(getContainer(), 24)).toEqual({ due: 0, batches: 0 })
      for (const order of orders) {
        expect(await byKey(`payment-desk-reminder-${order.order_id}`)).toHaveLength(1)
      }
    })

    it("emails a receipt for each payment and one 'fully paid' when the rest arrives", async () => {
      const { order_id } = await bankOrder("receipts@example.com")
      await recordPayment(order_id, 40)
      await recordPayment(order_id, 70)

      const receipts = await emailsWith({ to: "receipts@example.com", template: "payment-desk-payment-received" })
      expect(receipts.map((row) => [row.data.amount_received, row.data.amount_due, row.data.fully_paid])).toEqual([
        [40, 70, false],
        [70, 0, true],
      ])
      expect(receipts[0].data).toMatchObject({
        order_id,
        customer_email: "receipts@example.com",
        amount_received_formatted: "40.00 EUR",
        amount_due_formatted: "70.00 EUR",
        method: "bank-transfer",
      })
      expect(receipts[0].idempotency_key).toBe(`payment-desk-payment-received-${receipts[0].data.audit_entry_id}`)
      const paid = await emailsWith({ to: "receipts@example.com", template: "payment-desk-fully-paid" })
      expect(paid).toHaveLength(1)
      expect(paid[0]).toMatchObject({ idempotency_key: `payment-desk-fully-paid-${order_id}`, status: "success" })
      expect(paid[0].data).toMatchObject({ order_id, amount_received: 70, amount_due: 0 })
    })

    it("emails a manual refund's request and payout once each, only with notify_customer, across a replayed request", async () => {
      const { order_id } = await bankOrder("manual-refund@example.com")
      await recordPayment(order_id, 110)

      const body = { amount: 30, notify_customer: true, note: "Damaged lamp" }
      const row = await refund(order_id, body, "emails-manual-1", ["payment_desk.refund_requested"])
      expect(row.status).toBe("awaiting_payout")
      // The same request again (a client retry): the answer is replayed, nothing new happens.
      const { data: replay } = await http.post(`/admin/payment-desk/orders/${order_id}/refunds`, body, {
        headers: { ...admin.headers, "idempotency-key": "emails-manual-1" },
      })
      expect(replay.refund_request.id).toBe(row.id)
      // The event delivered twice: still one email.
      const again = await notifyRefundWorkflow(getContainer()).run({
        input: { refund_request_id: row.id, kind: "requested", status: "awaiting_payout" },
      })
      expect(again.result).toEqual({ outcome: "duplicate" })

      const requested = await byKey(`payment-desk-refund-requested-${row.id}`)
      expect(requested).toHaveLength(1)
      expect(requested[0]).toMatchObject({ to: "manual-refund@example.com", template: "payment-desk-refund-requested" })
      expect(requested[0].data).toMatchObject({
        order_id,
        refund_request_id: row.id,
        amount: 30,
        amount_formatted: "30.00 EUR",
        status: "awaiting_payout",
        paid_out_by_merchant: true,
        refund_arrives: "when we have paid it out to you",
        customer_email: "manual-refund@example.com",
      })
      expect(await byKey(`payment-desk-refund-succeeded-${row.id}`)).toEqual([])

      // A refund without notify_customer: no email at all.
      const quiet = await refund(order_id, { amount: 20 }, "emails-manual-2", ["payment_desk.refund_requested"])
      for (const kind of ["requested", "succeeded", "failed"]) {
        expect(await byKey(`payment-desk-refund-${kind}-${quiet.id}`)).toEqual([])
      }

      const paidOut = subscribersOf("payment_desk.refund_succeeded")
      await http.post(`/admin/payment-desk/refunds/${row.id}/payout`, { reference: "SEPA-OUT-7" }, admin)
      await paidOut
      const succeeded = await byKey(`payment-desk-refund-succeeded-${row.id}`)
      expect(succeeded).toHaveLength(1)
      expect(succeeded[0].data).toMatchObject({
        status: "succeeded",
        payout_reference: "SEPA-OUT-7",
        refund_arrives: "it has been paid out to you",
      })
      expect(await emailsWith({ to: "manual-refund@example.com", template: "payment-desk-refund-requested" })).toHaveLength(1)
    })

    it("writes each email in the order's language: a de-AT order's amounts, dates, refund and close in German; zh-TW falls back to English", async () => {
      const { order_id } = await bankOrder("locale-de@example.com")
      const orders = getContainer().resolve(Modules.ORDER)
      await orders.updateOrders(order_id, { locale: "de-AT" } as never)
      await recordPayment(order_id, 40)
      const [receipt] = await emailsWith({ to: "locale-de@example.com", template: "payment-desk-payment-received" })
      expect(receipt.data).toMatchObject({
        locale: "de-AT",
        language: "de",
        amount_received_formatted: "40,00\u00a0€",
        amount_due_formatted: "70,00\u00a0€",
      })

      const row = await refund(order_id, { amount: 30, notify_customer: true }, "emails-locale-1", ["payment_desk.refund_requested"])
      const [requested] = await byKey(`payment-desk-refund-requested-${row.id}`)
      expect(requested.data).toMatchObject({
        language: "de",
        amount_formatted: "30,00\u00a0€",
        refund_arrives: "sobald wir ihn an Sie ausgezahlt haben",
      })

      // Closing refunds the other €10 (a payout) and says so in German, the reason in words.
      const closed = subscribersOf("payment_desk.order_closed")
      await http.post(`/admin/payment-desk/orders/${order_id}/close`, { reason: "customer_request", notify_customer: true }, admin)
      await closed
      const [closure] = await emailsWith({ to: "locale-de@example.com", template: "payment-desk-order-closed" })
      expect(closure.data).toMatchObject({
        language: "de",
        reason: "customer_request",
        reason_label: "Wunsch des Kunden",
        refunded_amount: 10,
        refunded_amount_formatted: "10,00\u00a0€",
        refund_arrives: "sobald wir ihn an Sie ausgezahlt haben",
      })

      // Traditional Chinese is not a language of the plugin: English (the option's default).
      const other = await bankOrder("locale-tw@example.com")
      await orders.updateOrders(other.order_id, { locale: "zh-TW" } as never)
      await recordPayment(other.order_id, 40)
      const [english] = await emailsWith({ to: "locale-tw@example.com", template: "payment-desk-payment-received" })
      expect(english.data).toMatchObject({ locale: "zh-TW", language: "en", amount_received_formatted: "40.00 EUR" })
    })

    it("emails a card refund's success once (no separate 'requested'), and a declined one's failure once", async () => {
      const order = await paidCardOrder("card-refund@example.com")
      const events = ["payment_desk.refund_requested", "payment_desk.refund_succeeded"]
      const row = await refund(order.id, { amount: 30, notify_customer: true }, "emails-card-1", events)
      expect(row.status).toBe("succeeded")
      await http.post(
        `/admin/payment-desk/orders/${order.id}/refunds`,
        { amount: 30, notify_customer: true },
        { headers: { ...admin.headers, "idempotency-key": "emails-card-1" } }
      )
      expect(await byKey(`payment-desk-refund-requested-${row.id}`)).toEqual([])
      const succeeded = await byKey(`payment-desk-refund-succeeded-${row.id}`)
      expect(succeeded).toHaveLength(1)
      expect(succeeded[0].data).toMatchObject({
        order_display_id: order.display_id,
        amount: 30,
        amount_formatted: "30.00 EUR",
        paid_out_by_merchant: false,
        refund_arrives: "within 5-10 business days",
      })

      stripe.refundMode = "decline"
      const declined = await refund(
        order.id,
        { amount: 10, notify_customer: true },
        "emails-card-2",
        ["payment_desk.refund_requested", "payment_desk.refund_failed"]
      )
      expect(declined.status).toBe("failed")
      const failed = await byKey(`payment-desk-refund-failed-${declined.id}`)
      expect(failed).toHaveLength(1)
      expect(failed[0].data.failure_reason).toContain("refund_declined")
      expect(await byKey(`payment-desk-refund-requested-${declined.id}`)).toEqual([])

      // Retried and declined again: still one "failed" email; then it goes through: one "succeeded".
      const failedAgain = subscribersOf("payment_desk.refund_failed")
      await http.post(`/admin/payment-desk/refunds/${declined.id}/retry`, {}, admin)
      await failedAgain
      expect(await byKey(`payment-desk-refund-failed-${declined.id}`)).toHaveLength(1)
      stripe.refundMode = "succeed"
      const through = subscribersOf("payment_desk.refund_succeeded")
      await http.post(`/admin/payment-desk/refunds/${declined.id}/retry`, {}, admin)
      await through
      expect(await byKey(`payment-desk-refund-succeeded-${declined.id}`)).toHaveLength(1)

      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      const ledger = await desk.listRefundRequests({ order_id: order.id })
      expect(ledger).toHaveLength(2)
    })
  },
})
