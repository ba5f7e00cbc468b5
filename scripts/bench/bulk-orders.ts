// Bench helper: orders with an authorized bank-transfer payment, created in
// bulk through the modules (a storefront checkout per order would take the
// bench tens of minutes for thousands of orders).
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SeededStore } from "../seed/store"

/** Orders with an authorized bank-transfer payment, created `ageHours` ago, in bulk (modules for orders and collections, SQL copies of one authorized payment). */
export async function bulkOrders(container: MedusaContainer, store: SeededStore, count: number, ageHours: number) {
  const orders = container.resolve(Modules.ORDER)
  const payments = container.resolve(Modules.PAYMENT)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  let template: { session_id: string; payment_id: string; collection_id: string } | null = null
  const ids: string[] = []
  for (let offset = 0; offset < count; offset += 200) {
    const size = Math.min(200, count - offset)
    const created = (await orders.createOrders(
      Array.from({ length: size }, (_, i) => ({
        region_id: store.region_id,
        sales_channel_id: store.sales_channel_id,
        currency_code: "eur",
        email: `sweep-${offset + i}@example.com`,
        status: "pending" as const,
        created_at: new Date(Date.now() - ageHours * 3_600_000),
        items: [{ title: "Desk lamp", quantity: 1, unit_price: 100, variant_id: store.variant_ids[0] }],
      })) as Parameters<typeof orders.createOrders>[0]
    )) as unknown as { id: string }[]
    const collections = await payments.createPaymentCollections(
      created.map(() => ({ currency_code: "eur", amount: 100 }))
    )
    await link.create(
      created.map((order, i) => ({
        [Modules.ORDER]: { order_id: order.id },
        [Modules.PAYMENT]: { payment_collection_id: collections[i].id },
      }))
    )
    // The first payment is made the way checkout makes it (session,
    // authorization); the rest are copies of its rows (session, payment,
    // collection status) on their own collections: 10,000 orders seed in
    // seconds instead of an hour, and each is the same to the sweep.
    let pending = collections
    if (!template) {
      const session = await payments.createPaymentSession(collections[0].id, {
        provider_id: "pp_manual_bank-transfer",
        amount: 100,
        currency_code: "eur",
        data: {},
        context: {},
      })
      const payment = await payments.authorizePaymentSession(session.id, {})
      template = { session_id: session.id, payment_id: payment!.id, collection_id: collections[0].id }
      pending = collections.slice(1)
    }
    if (pending.length) {
      const tag = `${Date.now().toString(36)}${offset}`
      const cols = pending.map((c) => c.id)
      const sessions = pending.map((_, i) => `payses_bulk_${tag}_${i}`)
      const pays = pending.map((_, i) => `pay_bulk_${tag}_${i}`)
      await pg.raw(
        `insert into payment_session
         select (jsonb_populate_record(null::payment_session, to_jsonb(s) || jsonb_build_object('id', t.ses, 'payment_collection_id', t.pc))).*
           from payment_session s, unnest(?::text[], ?::text[]) as t(pc, ses) where s.id = ?`,
        [cols, sessions, template.session_id]
      )
      await pg.raw(
        `insert into payment
         select (jsonb_populate_record(null::payment, to_jsonb(p) || jsonb_build_object('id', t.pay, 'payment_collection_id', t.pc, 'payment_session_id', t.ses))).*
           from payment p, unnest(?::text[], ?::text[], ?::text[]) as t(pc, ses, pay) where p.id = ?`,
        [cols, sessions, pays, template.payment_id]
      )
      await pg.raw(
        `update payment_collection c
            set status = tpl.status, authorized_amount = tpl.authorized_amount, raw_authorized_amount = tpl.raw_authorized_amount
           from payment_collection tpl where tpl.id = ? and c.id = any(?::text[])`,
        [template.collection_id, cols]
      )
    }
    ids.push(...created.map((order) => order.id))
  }
  // Statistics as a live store has them: right after a bulk insert the
  // planner would think the tables empty and pick nested scans of them.
  await pg.raw(`analyze "order", order_payment_collection, payment, payment_collection, payment_session, capture`)
  return ids
}
