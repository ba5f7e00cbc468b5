import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { execFile } from "node:child_process"
import path from "node:path"
import { promisify } from "node:util"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createOrderPaymentCollectionWorkflow, createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { DEMO_ADDRESS, placeOrder, seedStore, SeededStore } from "../../scripts/seed/store"
import { adminHeaders, Api, checkout, customerHeaders, failure } from "../helpers/http"
import { creditorReference } from "../../src/utils/bank-transfer/rf-reference"
import { recordPaymentWorkflow } from "../../src/workflows/receipts/record-payment"
import { PAYMENT_DESK_MODULE } from "../../src/modules/payment-desk"
import type PaymentDeskModuleService from "../../src/modules/payment-desk/service"
import reconcileRefundsJob from "../../src/jobs/reconcile-refunds"
import { crashExec, CRASHED } from "../helpers/crash-exec"
import { SubscriberTracker, trackSubscribers } from "../helpers/subscribers"

jest.setTimeout(300_000)

// Extension points a store would use; the notes below switch them on per request.
recordPaymentWorkflow.hooks.validate(({ input }) => {
  if (input.note === "VETO") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Receipts need a second pair of eyes today")
  }
})
recordPaymentWorkflow.hooks.paymentRecorded(async ({ input, capture }, { container }) => {
  if (input.note === "CAPTURE_MEANWHILE_THEN_FAIL") {
    // Code outside the plugin's lock (another plugin, a script) captures €5 on
    // the same payment through the payment module between this receipt's
    // capture and its undoing.
    const payments = container.resolve(Modules.PAYMENT)
    const [own] = await payments.listCaptures({ id: capture.capture_id }, { select: ["id", "payment_id"] })
    await payments.capturePayment({ payment_id: own.payment_id, amount: 5 })
  }
  if (input.note === "FAIL_AFTER_CAPTURE" || input.note === "CAPTURE_MEANWHILE_THEN_FAIL") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Injected failure after the capture")
  }
})

// The orders are placed once, in beforeAll, before the test runner snapshots
// the database (after the suite's beforeAll hooks, nested describes' ones come
// too late; it restores the snapshot before every test): each test starts from
// a fresh copy of the same orders, in the state it would have placed them in.
// A receipt test is about what happens after placement, so a copy is as good
// as a placed order; a test that needs two fresh orders takes two different
// ones. The checkout tests ("places an order with ...") still place their own.
// Order ids repeat from test to test, which is why nothing a test set off may
// still be running when it ends.
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    const http = api as Api
    let store: SeededStore
    let admin: { headers: Record<string, string> }
    let subscribers: SubscriberTracker
    type Customer = Awaited<ReturnType<typeof customerHeaders>>
    type StoreOrder = { id: string; display_id: number; created_at: string }
    /** The orders every test starts from (see above). */
    let pool: {
      /** Orders of 2 × €100 + €10 shipping = €210 by buyer@example.com, awaiting a bank transfer. */
      awaiting: { order_id: string; payment_id: string }[]
      /** An order of one item (€100) converted from a draft: no manual payment, an unpaid collection of €100. */
      draft: { id: string }
      /** Storefront checkouts of one item (€100 + €10 shipping) by logged-in customers, with their sessions. */
      owner: { customer: Customer; order: StoreOrder }
      cod: { customer: Customer; order: StoreOrder }
      owner2: { customer: Customer; order: StoreOrder }
      /** A customer with no orders. */
      stranger: Customer
    }

    beforeAll(async () => {
      store = await seedStore(getContainer(), { name: "Record payment spec" })
      admin = await adminHeaders(getContainer(), http)
      subscribers = trackSubscribers(getContainer())
      const storeOrder = async (email: string, provider: string) => {
        const customer = await customerHeaders(http, store, email)
        const order = await checkout(http, store, customer, provider)
        return { customer, order: { id: order.id, display_id: order.display_id, created_at: order.created_at } }
      }
      // Both awaiting orders are buyer@example.com's: the first creates that guest customer, alone.
      const first = await awaitingOrder()
      const [second, draft, owner, cod, owner2, stranger] = await Promise.all([
        awaitingOrder(),
        draftOrder(),
        storeOrder("owner@example.com", "pp_manual_bank-transfer"),
        storeOrder("cod@example.com", "pp_manual_cash-on-delivery"),
        storeOrder("owner2@example.com", "pp_manual_bank-transfer"),
        customerHeaders(http, store, "stranger@example.com"),
      ])
      pool = { awaiting: [first, second], draft, owner, cod, owner2, stranger }
      // What placing the orders set off (order.placed's emails) lands before the snapshot.
      await subscribers.idle()
    })

    // Nothing a test set off may land in the next test's copy of the same orders.
    afterEach(() => subscribers.idle())
    afterAll(() => subscribers?.stop())

    /** One of the pool's orders awaiting a bank transfer (a copy: each test gets it fresh). */
    const awaiting = (i = 0) => {
      expect({ pool_has_order: i < pool.awaiting.length }).toEqual({ pool_has_order: true })
      return { ...pool.awaiting[i] }
    }

    /** An order without a manual payment, as a converted draft order leaves it: one item, an unpaid collection of €100. */
    async function draftOrder() {
      const container = getContainer()
      const { result: order } = await createOrderWorkflow(container).run({
        input: {
          region_id: store.region_id,
          sales_channel_id: store.sales_channel_id,
          email: "draft@example.com",
          currency_code: "eur",
          shipping_address: DEMO_ADDRESS,
          billing_address: DEMO_ADDRESS,
          items: [{ variant_id: store.variant_ids[0], quantity: 1 }],
        },
      })
      await createOrderPaymentCollectionWorkflow(container).run({ input: { order_id: order.id, amount: 100 } })
      return { id: order.id }
    }

    /** An order of 2 × €100 + €10 shipping = €210, awaiting a bank transfer. */
    async function awaitingOrder(provider = "pp_manual_bank-transfer") {
      return placeOrder(getContainer(), store, {
        provider_id: provider,
        email: "buyer@example.com",
        items: [{ variant_id: store.variant_ids[0], quantity: 2 }],
      })
    }

    /** Medusa's own books for the order, straight from the modules. */
    async function books(orderId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "total",
          "summary",
          "payment_collections.status",
          "payment_collections.captured_amount",
          "payment_collections.payments.id",
          "payment_collections.payments.captured_at",
          "payment_collections.payments.captures.amount",
        ],
        filters: { id: orderId },
      })
      const order = data[0]
      const payment = order.payment_collections[0].payments[0]
      const audit = await getContainer()
        .resolve(PAYMENT_DESK_MODULE)
        .listAuditEntries({ order_id: orderId, action: "payment_recorded" })
      return {
        total: Number(order.total),
        paid_total: Number(order.summary.paid_total),
        pending: Number(order.summary.pending_difference),
        collection_status: order.payment_collections[0].status,
        collection_captured: Number(order.payment_collections[0].captured_amount),
        captured_at: payment.captured_at,
        captures: payment.captures.map((c: { amount: number }) => Number(c.amount)),
        captured: payment.captures.reduce((sum: number, c: { amount: number }) => sum + Number(c.amount), 0),
        audit_count: audit.length,
      }
    }

    const record = (orderId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      http.post(`/admin/payment-desk/orders/${orderId}/payments`, body, {
        headers: { ...admin.headers, ...headers },
      })

    const desk = () => getContainer().resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const receipts = (orderId: string) => desk().listReceipts({ order_id: orderId }, { order: { created_at: "ASC" } })
    /** Core's order transactions booking captures of the order (one per capture, as Medusa's capture route books them). */
    async function captureTransactions(orderId: string) {
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const { rows } = await pg.raw(
        "select reference_id from order_transaction where order_id = ? and reference = 'capture' and deleted_at is null",
        [orderId]
      )
      return rows.length as number
    }
    async function adminId() {
      const users = await getContainer().resolve("user").listUsers({ email: "admin@payment-desk.test" })
      return users[0].id as string
    }
    /** Records a receipt in a second Medusa process that dies at `at` (helpers/crash-receipt.ts). */
    async function crashedReceipt(orderId: string, at: "capture" | "mark" | "audit" | "recorded", body: Record<string, unknown>, key?: string) {
      const actorId = await adminId()
      const run = await crashExec("crash-receipt.ts", dbConfig.dbName!, {
        CRASH_AT: at,
        CRASH_ORDER_ID: orderId,
        CRASH_ACTOR_ID: actorId,
        CRASH_BODY: JSON.stringify(body),
        ...(key
          ? { CRASH_IDEMPOTENCY_KEY: key, CRASH_IDEMPOTENCY_SCOPE: `POST /admin/payment-desk/orders/${orderId}/payments user:${actorId}` }
          : {}),
      })
      expect(run.out).not.toContain("receipt finished without crashing")
      expect(run.code).toBe(CRASHED)
    }
    /** Runs the reconciliation job as if the order lock's ttl had passed since each receipt of the order was written. */
    async function recoverLater(orderId: string) {
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw("update payment_desk_receipt set created_at = created_at - interval '1 hour' where order_id = ?", [orderId])
      return reconcileRefundsJob(getContainer())
    }

    it("seam 2: a retry with the Idempotency-Key of a request that died right after Medusa's capture finishes it from that capture, never captures twice", async () => {
      const { order_id } = awaiting()
      const body = { amount: 50, method: "bank-transfer", reference: "SEPA-CRASH" }
      await crashedReceipt(order_id, "mark", body, "crash-after-capture")
      // What the dead process left: the receipt written, Medusa's capture made, nothing after it.
      expect(await books(order_id)).toMatchObject({ captures: [50], audit_count: 0 })
      expect(await receipts(order_id)).toMatchObject([{ status: "capturing", capture_id: null, key: expect.stringContaining("crash-after-capture") }])
      expect(await captureTransactions(order_id)).toBe(0)

      // The client retries once the dead request's lease has run out (150 s; moved back here).
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw("update payment_desk_idempotency_record set lease_expires_at = date_trunc('milliseconds', now()) - interval '1 second' where key = ?", ["crash-after-capture"])
      const retry = await record(order_id, body, { "Idempotency-Key": "crash-after-capture" })
      expect(retry.status).toBe(200)
      expect(retry.data.audit_entry).toMatchObject({ amount: 50, reference: "SEPA-CRASH", payment_status_before: "authorized", payment_status_after: "partially_captured" })
      expect(retry.data.summary).toMatchObject({ paid_total: 50, outstanding_amount: 160 })
      expect(await books(order_id)).toMatchObject({ captures: [50], paid_total: 50, audit_count: 1 })
      expect(await captureTransactions(order_id)).toBe(1)
      const [row] = await receipts(order_id)
      expect(row).toMatchObject({ status: "recorded", audit_entry_id: retry.data.audit_entry.id })
      expect(retry.data.audit_entry.metadata.capture_id).toBe(row.capture_id)

      // A third try with the key replays; the order still holds one capture.
      const again = await record(order_id, body, { "Idempotency-Key": "crash-after-capture" })
      expect(again.headers["idempotent-replayed"]).toBe("true")
      expect(await books(order_id)).toMatchObject({ captures: [50], audit_count: 1 })
    })

    it("seam 2: a process that dies between writing the audit entry and marking the receipt recorded leaves neither, and the retry writes one entry", async () => {
      const { order_id } = awaiting()
      const body = { amount: 40, method: "bank-transfer", reference: "SEPA-HALF" }
      await crashedReceipt(order_id, "recorded", body, "crash-in-audit")
      // The capture and core's order transaction stand; the entry died with the mark, in one transaction.
      expect(await books(order_id)).toMatchObject({ captures: [40], audit_count: 0 })
      expect(await captureTransactions(order_id)).toBe(1)
      const [left] = await receipts(order_id)
      expect(left).toMatchObject({ status: "captured", audit_entry_id: null, capture_id: expect.stringMatching(/^capt_/) })

      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw("update payment_desk_idempotency_record set lease_expires_at = date_trunc('milliseconds', now()) - interval '1 second' where key = ?", ["crash-in-audit"])
      const retry = await record(order_id, body, { "Idempotency-Key": "crash-in-audit" })
      expect(retry.status).toBe(200)
      // One entry, one capture, one order transaction: the retry finished the receipt from its capture.
      expect(await books(order_id)).toMatchObject({ captures: [40], paid_total: 40, audit_count: 1 })
      expect(await captureTransactions(order_id)).toBe(1)
      expect(await receipts(order_id)).toMatchObject([{ status: "recorded", audit_entry_id: retry.data.audit_entry.id, capture_id: left.capture_id }])
    })

    it("seam 2: the reconciliation job finishes a receipt whose process died before its audit entry, and abandons one that died before capturing", async () => {
      const first = awaiting(0)
      await crashedReceipt(first.order_id, "audit", { amount: 60, method: "cash", note: "till 2" })
      expect(await books(first.order_id)).toMatchObject({ captures: [60], audit_count: 0 })
      expect(await captureTransactions(first.order_id)).toBe(1)
      expect(await receipts(first.order_id)).toMatchObject([{ status: "captured" }])

      const second = awaiting(1)
      await crashedReceipt(second.order_id, "capture", { amount: 70, method: "cash" })
      expect(await books(second.order_id)).toMatchObject({ captures: [], audit_count: 0 })
      expect(await receipts(second.order_id)).toMatchObject([{ status: "capturing" }])

      // Within the lock's ttl the job leaves them to a retry under their key.
      expect(await reconcileRefundsJob(getContainer())).toMatchObject({ receipts_finished: 0, receipts_abandoned: 0 })
      await recoverLater(second.order_id)
      const report = await recoverLater(first.order_id)
      expect(report).toMatchObject({ receipts_finished: 1, receipts_failed: 0 })

      expect(await books(first.order_id)).toMatchObject({ captures: [60], paid_total: 60, audit_count: 1 })
      expect(await captureTransactions(first.order_id)).toBe(1)
      const [entry] = await desk().listAuditEntries({ order_id: first.order_id, action: "payment_recorded" })
      // Written as the dead run would have: its method, note and actor.
      expect(entry).toMatchObject({ amount: 60, method: "cash", note: "till 2", actor_type: "user", actor_id: await adminId() })
      expect(await receipts(first.order_id)).toMatchObject([{ status: "recorded", audit_entry_id: entry.id }])

      // Nothing moved on the second: it is abandoned, and the order takes the receipt anew.
      expect(await books(second.order_id)).toMatchObject({ captures: [], audit_count: 0 })
      expect(await receipts(second.order_id)).toMatchObject([{ status: "abandoned" }])
      expect((await record(second.order_id, { amount: 70, method: "cash" })).status).toBe(200)
      expect(await books(second.order_id)).toMatchObject({ captures: [70], audit_count: 1 })
    })

    it("adds up two partial receipts and the rest, with before/after states in the audit trail", async () => {
      const { order_id, payment_id } = awaiting()

      const first = await record(order_id, {
        amount: 50,
        method: "bank-transfer",
        reference: "SEPA-0001",
        received_at: "2026-11-20T09:00:00.000Z",
        note: "first instalment",
      }, { "user-agent": "payment-desk-spec/1.0" })
      expect(first.status).toBe(200)
      expect(first.data.audit_entry).toMatchObject({
        order_id,
        payment_id,
        action: "payment_recorded",
        actor_type: "user",
        actor_email: "admin@payment-desk.test",
        amount: 50,
        currency_code: "eur",
        method: "bank-transfer",
        reference: "SEPA-0001",
        note: "first instalment",
        payment_status_before: "authorized",
        payment_status_after: "partially_captured",
        order_payment_status_before: "authorized",
        order_payment_status_after: "partially_captured",
        user_agent: "payment-desk-spec/1.0",
      })
      expect(new Date(first.data.audit_entry.received_at).toISOString()).toBe("2026-11-20T09:00:00.000Z")
      expect(first.data.audit_entry.actor_id).toMatch(/^user_/)
      expect(first.data.audit_entry.ip).toBeTruthy()
      expect(first.data.summary).toMatchObject({ total: 210, paid_total: 50, outstanding_amount: 160 })
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, admin)).data).toEqual(first.data.summary)

      await record(order_id, { amount: 60.5, method: "cash" })
      const last = await record(order_id, { amount: 99.5, method: "bank-transfer", reference: "SEPA-0002" })
      expect(last.data.audit_entry).toMatchObject({
        payment_status_before: "partially_captured",
        payment_status_after: "captured",
        order_payment_status_before: "partially_captured",
        order_payment_status_after: "captured",
      })
      expect(last.data.summary).toMatchObject({
        total: 210,
        paid_total: 210,
        outstanding_amount: 0,
        refundable_amount: 210,
      })
      expect(last.data.summary.audit).toHaveLength(3)
      // The answer of each receipt is what a fresh read of the order says.
      expect((await http.get(`/admin/payment-desk/orders/${order_id}`, admin)).data).toEqual(last.data.summary)
      expect(last.data.summary.audit.map((entry: { amount: number }) => entry.amount)).toEqual([99.5, 60.5, 50])

      // Medusa's own books agree: three captures adding up to the total.
      expect(await books(order_id)).toMatchObject({
        total: 210,
        paid_total: 210,
        pending: 0,
        collection_status: "completed",
        captured_at: expect.anything(),
        captures: expect.arrayContaining([50, 60.5, 99.5]),
        captured: 210,
        audit_count: 3,
      })

      const trail = await http.get(`/admin/payment-desk/audit?order_id=${order_id}&limit=2`, admin)
      expect(trail.data).toMatchObject({ count: 3, limit: 2, offset: 0 })
      expect(trail.data.audit_entries.map((entry: { amount: number }) => entry.amount)).toEqual([99.5, 60.5])
      const byAction = await http.get(`/admin/payment-desk/audit?action=payment_recorded&actor_id=${first.data.audit_entry.actor_id}`, admin)
      expect(byAction.data.count).toBe(3)
    })

    it("refuses an over-payment and changes nothing", async () => {
      const { order_id } = awaiting()
      await record(order_id, { amount: 200, method: "bank-transfer" })
      const before = await books(order_id)

      const refused = await failure(record(order_id, { amount: 10.01, method: "bank-transfer" }))
      expect(refused).toEqual({
        status: 400,
        data: {
          type: "invalid_data",
          message: "amount: 10.01 EUR is more than the outstanding amount of 10 EUR",
        },
      })
      expect(await books(order_id)).toEqual(before)
      expect(before).toMatchObject({ captured: 200, audit_count: 1 })

      await record(order_id, { amount: 10, method: "bank-transfer" })
      const paid = await failure(record(order_id, { amount: 1, method: "bank-transfer" }))
      expect(paid.data.message).toBe(`amount: order ${order_id} has nothing outstanding, it is paid in full`)
      expect((await books(order_id)).captured).toBe(210)
    })

    it("replays the first answer for a repeated Idempotency-Key and refuses it with another body", async () => {
      const { order_id } = awaiting()
      const body = { amount: 25, method: "bank-transfer", reference: "R-1" }
      const key = { "idempotency-key": "receipt-r1" }

      const first = await record(order_id, body, key)
      const again = await record(order_id, { ...body }, key)
      expect(again.status).toBe(200)
      expect(again.data).toEqual(first.data)
      expect((await books(order_id))).toMatchObject({ captured: 25, audit_count: 1 })
      expect(first.data.audit_entry.idempotency_key).toBe("receipt-r1")

      const other = await failure(record(order_id, { ...body, amount: 26 }, key))
      expect(other).toEqual({
        status: 409,
        data: {
          type: "conflict",
          message: 'Idempotency-Key "receipt-r1" was already used on this route with a different request body',
        },
      })
      expect((await books(order_id))).toMatchObject({ captured: 25, audit_count: 1 })

      // The same key on another order is another route: it runs.
      const second = awaiting(1)
      expect((await record(second.order_id, body, key)).status).toBe(200)
      expect((await books(second.order_id)).captured).toBe(25)
    })

    it("runs concurrent duplicates with one key once", async () => {
      const { order_id } = awaiting()
      const key = { "idempotency-key": "double-click" }
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => record(order_id, { amount: 30, method: "cash" }, key).catch((e) => e.response))
      )
      const ok = answers.filter((answer) => answer.status === 200)
      expect(ok.length + answers.filter((answer) => answer.status === 409).length).toBe(8)
      expect(ok.length).toBeGreaterThanOrEqual(1)
      const entryIds = new Set(ok.map((answer) => answer.data.audit_entry.id))
      expect(entryIds.size).toBe(1)
      expect(await books(order_id)).toMatchObject({ captured: 30, captures: [30], audit_count: 1 })
    })

    it("never captures more than the total under 10 concurrent receipts", async () => {
      const { order_id } = awaiting()
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          record(order_id, { amount: 30, method: "bank-transfer", reference: `C-${i}` }).then(
            (response) => response,
            (error) => error.response
          )
        )
      )
      const accepted = answers.filter((answer) => answer.status === 200)
      const refused = answers.filter((answer) => answer.status === 400)
      // A request that waited past the order lock's wait (5 s) for the nine
      // before it is refused with 409 and changes nothing: on a loaded machine
      // (CI runs both cores full) that happens; each such request is simply
      // one receipt fewer, never a capture past the total.
      const busy = answers.filter((answer) => answer.status === 409)
      expect(accepted.length + refused.length + busy.length).toBe(10)
      for (const answer of busy) {
        expect(answer.data.type).toBe("conflict")
      }
      for (const answer of refused) {
        expect(answer.data.message).toMatch(/^amount: 30 EUR is more than the outstanding amount of 0 EUR|has nothing outstanding/)
      }
      // 7 × 30 = 210 when none waited out the lock; never more.
      expect(accepted.length).toBe(Math.min(7, 10 - busy.length))
      const after = await books(order_id)
      expect(after.captured).toBe(30 * accepted.length)
      expect(after.captured).toBeLessThanOrEqual(after.total)
      expect(after).toMatchObject({ paid_total: 30 * accepted.length, audit_count: accepted.length })
    })

    it("leaves no capture and no audit entry when a step after the capture fails", async () => {
      const { order_id } = awaiting()
      await record(order_id, { amount: 10, method: "bank-transfer" })
      const before = await books(order_id)

      const failed = await failure(record(order_id, { amount: 40, method: "bank-transfer", note: "FAIL_AFTER_CAPTURE" }))
      expect(failed).toEqual({
        status: 400,
        data: { type: "not_allowed", message: "Injected failure after the capture" },
      })
      expect(await books(order_id)).toEqual(before)
      expect(before).toMatchObject({ captured: 10, paid_total: 10, audit_count: 1, collection_status: "authorized" })
      // The failed receipt's row went with its capture: only the first one stands.
      expect((await receipts(order_id)).map((r) => r.status)).toEqual(["recorded"])

      // The order lock was released: the next receipt goes through.
      expect((await record(order_id, { amount: 200, method: "bank-transfer" })).status).toBe(200)
      expect(await books(order_id)).toMatchObject({ captured: 210, paid_total: 210, collection_status: "completed", audit_count: 2 })
    })

    it("undoes only its own capture when a step after it fails: a capture made meanwhile by someone else stands, in the payment and its collection", async () => {
      const { order_id } = awaiting()
      await record(order_id, { amount: 10, method: "bank-transfer" })
      const failed = await failure(record(order_id, { amount: 40, method: "bank-transfer", note: "CAPTURE_MEANWHILE_THEN_FAIL" }))
      expect(failed.status).toBe(400)
      expect(await books(order_id)).toMatchObject({
        captures: [10, 5],
        captured: 15,
        collection_captured: 15,
        collection_status: "authorized",
        audit_count: 1,
      })
      // The next receipt takes what is left of the €210, no more.
      expect((await record(order_id, { amount: 195, method: "bank-transfer" })).status).toBe(200)
      expect(await books(order_id)).toMatchObject({ captured: 210, collection_status: "completed" })
    })

    it("lets the validate hook veto a receipt", async () => {
      const { order_id } = awaiting()
      const vetoed = await failure(record(order_id, { amount: 10, method: "cash", note: "VETO" }))
      expect(vetoed).toEqual({
        status: 400,
        data: { type: "not_allowed", message: "Receipts need a second pair of eyes today" },
      })
      expect(await books(order_id)).toMatchObject({ captured: 0, audit_count: 0 })
    })

    it("answers bad input with 400 and the field, and changes nothing", async () => {
      const { order_id } = awaiting()
      const cases: [Record<string, unknown>, string][] = [
        [{ amount: 0, method: "cash" }, "amount: must be a number above 0, got 0"],
        [{ amount: -5, method: "cash" }, "amount: must be a number above 0, got -5"],
        [{ amount: "12", method: "cash" }, "Invalid request: Expected type: 'number' for field 'amount', got: '12'"],
        [{ method: "cash" }, "Invalid request: Field 'amount' is required"],
        [{ amount: 10.123, method: "cash" }, "amount: EUR allows at most 2 decimal places, got 10.123"],
        [{ amount: 10, method: "wire" }, 'method: "wire" is not a known receipt method (known: bank-transfer, cash-on-delivery, cash, cheque)'],
        [{ amount: 10, method: "cash", tip: 2 }, "Invalid request: Unrecognized fields: 'tip'"],
        [{ amount: 10, method: "cash", received_at: "yesterday" }, "Invalid request: received_at: must be an ISO 8601 date-time such as 2026-11-20T09:00:00Z"],
        [{ amount: 10, method: "cash", received_at: "2999-01-01T00:00:00Z" }, "received_at: cannot be in the future"],
      ]
      for (const [body, message] of cases) {
        const refused = await failure(record(order_id, body))
        expect({ body, status: refused.status, message: refused.data.message }).toEqual({ body, status: 400, message })
      }
      const malformed = await failure(
        http.post(`/admin/payment-desk/orders/${order_id}/payments`, "{not json", {
          headers: { ...admin.headers, "content-type": "application/json" },
        })
      )
      expect(malformed.status).toBe(400)
      expect(await books(order_id)).toMatchObject({ captured: 0, audit_count: 0 })
    })

    it("answers 404 for an unknown order, 400 for a canceled one and 401 without a session", async () => {
      const missing = await failure(record("order_missing", { amount: 10, method: "cash" }))
      expect(missing).toEqual({
        status: 404,
        data: { type: "not_found", message: "Order with id: order_missing was not found" },
      })

      const { order_id } = awaiting()
      await http.post(`/admin/orders/${order_id}/cancel`, {}, admin)
      const canceled = await failure(record(order_id, { amount: 10, method: "cash" }))
      expect(canceled).toEqual({
        status: 400,
        data: { type: "not_allowed", message: `Order ${order_id} is canceled: payments can no longer be recorded on it` },
      })
      expect(await books(order_id)).toMatchObject({ captured: 0, audit_count: 0 })

      const anonymous = await failure(
        http.post(`/admin/payment-desk/orders/${order_id}/payments`, { amount: 10, method: "cash" })
      )
      expect(anonymous.status).toBe(401)
    })

    it("pays an order without a manual payment (a converted draft order) in full on its unpaid collection", async () => {
      const order = { ...pool.draft }
      const unpaid = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
      expect(unpaid.data).toMatchObject({ total: 100, paid_total: 0, outstanding_amount: 100, payments: [] })

      const partial = await failure(record(order.id, { amount: 40, method: "bank-transfer" }))
      expect(partial).toEqual({
        status: 400,
        data: {
          type: "invalid_data",
          message: `amount: order ${order.id} has no manual payment, so its unpaid collection can only be recorded in full (100 EUR), got 40 EUR`,
        },
      })

      const failed = await failure(record(order.id, { amount: 100, method: "bank-transfer", note: "FAIL_AFTER_CAPTURE" }))
      expect(failed.status).toBe(400)
      const afterFailure = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
      expect(afterFailure.data).toMatchObject({ paid_total: 0, outstanding_amount: 100, audit: [] })
      expect(afterFailure.data.payments.every((p: { canceled_at: string | null; captured_at: string | null }) => !p.captured_at)).toBe(true)

      const paid = await record(order.id, { amount: 100, method: "bank-transfer", reference: "DRAFT-1" })
      expect(paid.data.audit_entry).toMatchObject({
        amount: 100,
        method: "bank-transfer",
        payment_status_before: "not_paid",
        payment_status_after: "captured",
        order_payment_status_after: "captured",
      })
      expect(paid.data.summary).toMatchObject({ paid_total: 100, outstanding_amount: 0, payment_method: "bank-transfer" })
      const reread = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
      expect(reread.data).toEqual(paid.data.summary)
      const captured = reread.data.payments.filter((p: { captured_at: string | null }) => p.captured_at)
      expect(captured).toHaveLength(1)
      expect(captured[0]).toMatchObject({ provider_id: "pp_manual_bank-transfer", amount: 100 })
    })

    it("keeps the audit trail append-only", async () => {
      const { order_id } = awaiting()
      const { data } = await record(order_id, { amount: 10, method: "cash" })
      const desk = getContainer().resolve(PAYMENT_DESK_MODULE)
      await expect(desk.updateAuditEntries({ id: data.audit_entry.id, amount: 1 })).rejects.toThrow(
        "Audit entries are append-only"
      )
      await expect(desk.deleteAuditEntries(data.audit_entry.id)).rejects.toThrow("append-only")
      await expect(desk.softDeleteAuditEntries(data.audit_entry.id)).rejects.toThrow("append-only")
      // Not even a raw UPDATE gets through: the table refuses it.
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await expect(
        pg.raw("update payment_desk_audit_entry set amount = 1 where id = ?", [data.audit_entry.id])
      ).rejects.toThrow("append-only")
      expect((await books(order_id)).audit_count).toBe(1)
    })

    // Checkout with the manual methods and their instructions (formerly
    // manual-payment.spec.ts: one Medusa app for both saves a boot per CI run).
    describe("manual payment methods", () => {
      async function orderPayment(orderId: string) {
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "order",
          fields: [
            "id",
            "total",
            "summary",
            "payment_collections.status",
            "payment_collections.captured_amount",
            "payment_collections.payments.*",
            "payment_collections.payments.captures.*",
          ],
          filters: { id: orderId },
        })
        return data[0]
      }

      describe("checkout with a manual payment method", () => {
        it.each([
          ["pp_manual_bank-transfer", "bank-transfer", "Bank transfer", 48],
          ["pp_manual_cash-on-delivery", "cash-on-delivery", "Cash on delivery", null],
        ])("places an order with %s: payment authorized, nothing captured", async (providerId, method, name, windowHours) => {
          const offered = await http.get(`/store/payment-providers?region_id=${store.region_id}`, {
            headers: { "x-publishable-api-key": store.publishable_key },
          })
          expect(offered.data.payment_providers.map((p: { id: string }) => p.id)).toEqual(
            expect.arrayContaining([providerId])
          )

          const customer = await customerHeaders(http, store, `buyer-${method}@example.com`)
          const order = await checkout(http, store, customer, providerId, [
            { variant_id: store.variant_ids[0], quantity: 2 },
          ])
          expect(order.total).toBe(210)

          const stored = await orderPayment(order.id)
          const collection = stored.payment_collections[0]
          expect(collection.status).toBe("authorized")
          expect(collection.payments).toHaveLength(1)
          const payment = collection.payments[0]
          expect(payment.provider_id).toBe(providerId)
          expect(payment.captured_at).toBeNull()
          expect(payment.captures).toEqual([])
          expect(payment.data).toMatchObject({
            method,
            display_name: name,
            payment_window_hours: windowHours,
            state: "authorized",
            currency_code: "eur",
          })
          // Medusa's own books: nothing paid, the whole total still expected.
          expect(Number(stored.summary.paid_total)).toBe(0)
          expect(Number(stored.summary.pending_difference)).toBe(210)

          const summary = await http.get(`/admin/payment-desk/orders/${order.id}`, admin)
          expect(summary.data).toMatchObject({
            order_id: order.id,
            currency_code: "eur",
            total: 210,
            paid_total: 0,
            outstanding_amount: 210,
            payment_method: method,
          })
        })
      })

      describe("GET /store/payment-desk/orders/:id/instructions", () => {
        it("gives the owner the configured instructions, the amount due and the pay-by date", async () => {
          const { customer, order } = pool.owner

          const { status, data } = await http.get(`/store/payment-desk/orders/${order.id}/instructions`, {
            headers: customer.headers,
          })
          expect(status).toBe(200)
          expect(data).toMatchObject({
            method: "bank-transfer",
            display_name: "Bank transfer",
            kind: "bank_transfer",
            status: "awaiting_payment",
            instructions: expect.stringContaining("IBAN: DE89 3704 0044 0532 0130 00"),
            amount_due: 110,
            currency_code: "eur",
            pay_by: new Date(new Date(order.created_at).getTime() + 48 * 3_600_000).toISOString(),
            // The demo method's EUR account, the order's creditor reference and its GiroCode.
            reference: creditorReference(order.display_id),
            account: {
              account_holder: "Payment Desk Demo GmbH",
              iban: "DE89370400440532013000",
              bic: "COBADEFFXXX",
              bank_name: null,
            },
            qr_svg: expect.stringMatching(/^<svg /),
            epc_payload: expect.stringContaining(`\nEUR110.00\n\n${creditorReference(order.display_id)}`),
          })
          // The demo's instructions quote the order's own reference and amount.
          expect(data.instructions).toContain(`Reference: ${data.reference} (order #${order.display_id})`)
          expect(data.instructions).toContain("Transfer 110.00 EUR by ")
        })

        it("has no deadline for cash on delivery", async () => {
          const { customer, order } = pool.cod
          const { data } = await http.get(`/store/payment-desk/orders/${order.id}/instructions`, {
            headers: customer.headers,
          })
          expect(data).toMatchObject({ method: "cash-on-delivery", amount_due: 110, pay_by: null })
          expect(data.instructions).toContain("Pay the courier in cash")
        })

        it("answers 404 to another customer and to nobody logged in (the order is a customer's with an account)", async () => {
          const { order } = pool.owner2
          const { stranger } = pool

          const other = await failure(
            http.get(`/store/payment-desk/orders/${order.id}/instructions`, { headers: stranger.headers })
          )
          expect(other.status).toBe(404)
          expect(other.data).toEqual({ type: "not_found", message: `Order with id: ${order.id} was not found` })

          const anonymous = await failure(
            http.get(`/store/payment-desk/orders/${order.id}/instructions`, {
              headers: { "x-publishable-api-key": store.publishable_key },
            })
          )
          // A guest's order is readable by its id (bank-transfer.spec); this one is an account's.
          expect(anonymous.status).toBe(404)
          expect(anonymous.data).toEqual(other.data)
        })
      })

      describe("GET /admin/payment-desk/orders/:id", () => {
        it("answers 401 without an admin session and 404 for an unknown order", async () => {
          expect((await failure(http.get("/admin/payment-desk/orders/order_missing"))).status).toBe(401)
          const missing = await failure(
            http.get("/admin/payment-desk/orders/order_missing", admin)
          )
          expect(missing).toEqual({
            status: 404,
            data: { type: "not_found", message: "Order with id: order_missing was not found" },
          })
        })
      })
    })
  },
})

describe("manual provider options at boot", () => {
  it("refuses to boot with invalid options and names the method and the field", async () => {
    const root = path.resolve(__dirname, "../..")
    const run = promisify(execFile)
    const env = {
      ...process.env,
      NODE_OPTIONS: "",
      DATABASE_URL: `postgres://${process.env.DB_USERNAME || "postgres"}${
        process.env.DB_PASSWORD ? `:${process.env.DB_PASSWORD}` : ""
      }@${process.env.DB_HOST || "localhost"}:${process.env.DB_PORT || 5432}/postgres`,
      PAYMENT_DESK_MANUAL_METHODS: JSON.stringify([{ method: "bank-transfer", payment_window_hours: -5 }]),
    }
    const outcome = await run(
      path.join(root, "node_modules/.bin/medusa"),
      ["exec", "./integration-tests/helpers/boot.ts"],
      { cwd: root, env, timeout: 90_000 }
    ).then(
      (result) => ({ code: 0, output: result.stdout + result.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      })
    )
    expect(outcome.code).not.toBe(0)
    expect(outcome.output).toContain(
      'Manual payment method "bank-transfer": payment_window_hours must be a positive number of hours or null'
    )
    expect(outcome.output).not.toContain("booted: payment providers")
  })
})
