// `medusa exec ./scripts/seed-demo.ts`: the demo store and orders in every payment state.
import type { ExecArgs } from "@medusajs/framework/types"
import { closeOrderWorkflow } from "../src/workflows/close-order"
import { processOrderClosureWorkflow } from "../src/workflows/process-order-closure"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { capture, createAdminUser, createCustomer, placeOrder, seedStore } from "./seed/store"

export const DEMO_ADMIN = { email: "admin@payment-desk.test", password: "supersecret" }

export default async function seedDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const users = container.resolve(Modules.USER)
  if ((await users.listUsers({ email: DEMO_ADMIN.email })).length) {
    logger.info("Demo data already seeded: nothing to do")
    return
  }

  logger.info("Seeding the store: region, sales channel, key, shipping, products")
  const store = await seedStore(container)
  const adminId = await createAdminUser(container, DEMO_ADMIN)
  const customerId = await createCustomer(container, {
    email: "grace@example.com",
    first_name: "Grace",
    last_name: "Hopper",
  })
  const customer = { customer_id: customerId, email: "grace@example.com" }
  const [lamp, notebook, pen] = store.variant_ids
  const bank = "pp_manual_bank-transfer"
  const cod = "pp_manual_cash-on-delivery"

  const orders = container.resolve(Modules.ORDER)
  const place = (provider_id: string, items: { variant_id: string; quantity: number }[]) =>
    placeOrder(container, store, { ...customer, provider_id, items })

  logger.info("Placing orders: awaiting bank transfer")
  await place(bank, [{ variant_id: lamp, quantity: 1 }])

  logger.info("Placing orders: bank transfer partly paid")
  const partly = await place(bank, [{ variant_id: pen, quantity: 2 }])
  await capture(container, partly.payment_id, 50)

  logger.info("Placing orders: bank transfer paid in full")
  const paid = await place(bank, [{ variant_id: notebook, quantity: 4 }])
  await capture(container, paid.payment_id)

  logger.info("Placing orders: bank transfer past its payment window")
  const overdue = await place(bank, [{ variant_id: lamp, quantity: 2 }])
  await orders.updateOrders(overdue.order_id, {
    created_at: new Date(Date.now() - 72 * 3_600_000),
  } as Parameters<typeof orders.updateOrders>[1])

  logger.info("Placing orders: cash on delivery awaiting the courier")
  await place(cod, [{ variant_id: notebook, quantity: 1 }])

  logger.info("Placing orders: cash on delivery collected")
  const collected = await place(cod, [{ variant_id: pen, quantity: 1 }])
  await capture(container, collected.payment_id)

  logger.info("Placing orders: bank transfer closed by the merchant (out of stock)")
  const canceled = await place(bank, [{ variant_id: notebook, quantity: 1 }])
  const { result: closed } = await closeOrderWorkflow(container).run({
    input: { order_id: canceled.order_id, actor: { type: "user", id: adminId }, reason: "out_of_stock" },
  })
  // Its notifications and counters, now (this script exits before subscribers would run).
  await processOrderClosureWorkflow(container).run({ input: { order_closure_id: closed.order_closure.id } })

  logger.info(`Seeded 7 orders; admin ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`)
}
