// `medusa exec ./scripts/seed-demo.ts`: the demo store and orders in every payment state.
import type { ExecArgs } from "@medusajs/framework/types"
import { closeOrderWorkflow } from "../src/workflows/closures/close-order"
import { requestCancellationWorkflow } from "../src/workflows/closures/request-cancellation"
import { processOrderClosureWorkflow } from "../src/workflows/closures/process-order-closure"
import { issueRefundWorkflow } from "../src/workflows/refunds/issue-refund"
import closeUnpaidOrdersJob from "../src/jobs/close-unpaid-orders"
import { PAYMENT_DESK_MODULE } from "../src/modules/payment-desk"
import type PaymentDeskModuleService from "../src/modules/payment-desk/service"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import fs from "node:fs"
import path from "node:path"
import { capture, createAdminUser, createCustomer, placeOrder, seedStore } from "./seed/store"
import { buildCamt053 } from "./lib/build-camt"
import { creditorReference } from "../src/utils/bank-transfer/rf-reference"

/** Where the demo writes the bank statement a new user uploads on the Bank statements page. */
export const DEMO_STATEMENT = path.join(process.cwd(), ".data", "demo-bank-statement.xml")

export const DEMO_ADMIN = { email: "admin@payment-desk.test", password: "supersecret" }
/** The demo customer, who can log in to the storefront (store API) with this password. */
export const DEMO_CUSTOMER = { email: "grace@example.com", password: "supersecret" }
/**
 * Set by `npm run demo` when it runs the tests' Stripe double on loopback: the
 * double's address, so the seed can place card orders and ask the double to
 * decline one refund (a refund that needs the merchant's Retry).
 */
const STRIPE_DOUBLE = process.env.PAYMENT_DESK_DEMO_STRIPE_DOUBLE
/** The demo store's name, shown in the admin. */
export const DEMO_STORE_NAME = "Payment Desk Demo Shop"

export default async function seedDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const users = container.resolve(Modules.USER)
  if ((await users.listUsers({ email: DEMO_ADMIN.email })).length) {
    logger.info("Demo data already seeded: nothing to do")
    return
  }

  logger.info("Seeding the store: region, sales channel, key, shipping, products")
  const store = await seedStore(
    container,
    STRIPE_DOUBLE ? { paymentProviders: ["pp_manual_bank-transfer", "pp_manual_cash-on-delivery", "pp_stripe_stripe"] } : {}
  )
  const adminId = await createAdminUser(container, DEMO_ADMIN)
  const customerId = await createCustomer(container, {
    email: DEMO_CUSTOMER.email,
    first_name: "Grace",
    last_name: "Hopper",
  })
  // A login for the customer, as the store's register route makes one: an emailpass identity bound to the customer.
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity } = await auth.register("emailpass", {
    body: { email: DEMO_CUSTOMER.email, password: DEMO_CUSTOMER.password },
  } as Parameters<typeof auth.register>[1])
  await auth.updateAuthIdentities({ id: authIdentity!.id, app_metadata: { customer_id: customerId } })
  const stores = container.resolve(Modules.STORE)
  const [shop] = await stores.listStores({}, { take: 1 })
  if (shop) {
    await stores.updateStores(shop.id, { name: DEMO_STORE_NAME })
  }
  const customer = { customer_id: customerId, email: DEMO_CUSTOMER.email }
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

  const backdate = (orderId: string, hours: number) =>
    orders.updateOrders(orderId, {
      created_at: new Date(Date.now() - hours * 3_600_000),
    } as Parameters<typeof orders.updateOrders>[1])

  logger.info("Placing orders: bank transfer past its window, closed by the auto-close job")
  const timedOut = await place(bank, [{ variant_id: pen, quantity: 1 }])
  await backdate(timedOut.order_id, 96)
  // The job's own run, now, so the payment-timeout figures show at once.
  await closeUnpaidOrdersJob(container)
  const [timeout] = await container
    .resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    .listOrderClosures({ order_id: timedOut.order_id }, { take: 1 })
  if (timeout) {
    await processOrderClosureWorkflow(container).run({ input: { order_closure_id: timeout.id } })
  }

  // Partly paid: the auto-close job flags it and leaves it open (auto_close.close_partially_paid is off),
  // so it stays overdue until the merchant acts, whenever the demo runs.
  logger.info("Placing orders: bank transfer partly paid and past its payment window")
  const overdue = await place(bank, [{ variant_id: lamp, quantity: 2 }])
  await backdate(overdue.order_id, 72)
  await capture(container, overdue.payment_id, 20)

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

  logger.info("Placing orders: bank transfer paid, the customer asks to cancel it")
  const regretted = await place(bank, [{ variant_id: lamp, quantity: 1 }])
  await capture(container, regretted.payment_id)
  await requestCancellationWorkflow(container).run({
    input: { order_id: regretted.order_id, customer_id: customerId, reason: "customer_request", note: "Ordered the wrong colour, sorry" },
  })

  let orderCount = 12
  if (STRIPE_DOUBLE) {
    // Card orders through Medusa's Stripe provider, answered by the Stripe double (no money moves).
    const stripe = "pp_stripe_stripe"
    const refund = (orderId: string, amount: number, note: string) =>
      issueRefundWorkflow(container).run({
        input: { order_id: orderId, amount, note, notify_customer: true, actor: { type: "user", id: adminId } },
      })
    logger.info("Placing orders: card payment, part refunded through Stripe")
    const card = await place(stripe, [{ variant_id: notebook, quantity: 3 }])
    await capture(container, card.payment_id)
    await refund(card.order_id, 15, "One notebook arrived bent")

    logger.info("Placing orders: card payment whose refund Stripe declined (Retry on the Refunds page)")
    const declined = await place(stripe, [{ variant_id: lamp, quantity: 1 }])
    await capture(container, declined.payment_id)
    const asked = await fetch(`${STRIPE_DOUBLE}/_double/decline-next-refund`, { method: "POST" })
    if (!asked.ok) {
      throw new Error(`The Stripe double at ${STRIPE_DOUBLE} answered ${asked.status}`)
    }
    await refund(declined.order_id, 30, "Lamp returned unused")
    orderCount += 2
  }

  logger.info("Placing orders: three bank transfers the demo statement pays")
  const byStatementExact = await place(bank, [{ variant_id: notebook, quantity: 2 }])
  const byStatementText = await place(bank, [{ variant_id: lamp, quantity: 1 }])
  const byStatementPartly = await place(bank, [{ variant_id: pen, quantity: 3 }])
  const read = async (orderId: string) => {
    const order = await orders.retrieveOrder(orderId, { select: ["id", "display_id"], relations: ["summary"] })
    return { display_id: Number(order.display_id), due: Number((order.summary as { pending_difference?: number }).pending_difference) }
  }
  const [exact, text, partial] = await Promise.all([byStatementExact, byStatementText, byStatementPartly].map((o) => read(o.order_id)))
  const today = new Date().toISOString().slice(0, 10)
  const statement = buildCamt053({
    account_iban: "DE89370400440532013000",
    currency: "EUR",
    statements: [
      {
        id: `DEMO-${today}`,
        lines: [
          // Quotes the RF reference and pays in full: recorded on upload.
          { amount: exact.due.toFixed(2), direction: "credit", booking_date: today, reference: creditorReference(exact.display_id), name: "Grace Hopper", iban: "NL91ABNA0417164300" },
          // Names the order in the text and pays in full, paid by the customer herself (Grace Hopper): recorded on upload.
          { amount: text.due.toFixed(2), direction: "credit", booking_date: today, remittance: `Order #${text.display_id} thank you`, name: "Grace Hopper", iban: "NL91ABNA0417164300" },
          // Pays only part: waits for review, suggested order filled in.
          { amount: (partial.due / 2).toFixed(2), direction: "credit", booking_date: today, reference: creditorReference(partial.display_id), name: "Grace Hopper", iban: "NL91ABNA0417164300" },
          // Names no order: waits for review.
          { amount: "25.00", direction: "credit", booking_date: today, remittance: "Gift", name: "Alan Turing", iban: "GB29NWBK60161331926819" },
          // The bank's fee: not for the desk, ignored.
          { amount: "4.90", direction: "debit", booking_date: today, remittance: "Account fee November" },
        ],
      },
    ],
  })
  fs.mkdirSync(path.dirname(DEMO_STATEMENT), { recursive: true })
  fs.writeFileSync(DEMO_STATEMENT, statement)
  logger.info(`Wrote a demo bank statement for orders #${exact.display_id}, #${text.display_id} and #${partial.display_id}: ${DEMO_STATEMENT}`)

  logger.info(`Seeded ${orderCount} orders in "${DEMO_STORE_NAME}"`)
  logger.info(`Admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`)
  logger.info(`Customer (store API login): ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}`)
  logger.info(`Publishable API key: ${store.publishable_key}`)
  fs.writeFileSync(
    path.join(process.cwd(), ".data", "demo-credentials.json"),
    JSON.stringify({ admin: DEMO_ADMIN, customer: DEMO_CUSTOMER, publishable_key: store.publishable_key, store_name: DEMO_STORE_NAME }, null, 2)
  )
}
