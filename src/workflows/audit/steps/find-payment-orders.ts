import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

export type FindPaymentOrdersStepInput = { payment_id?: string | null; order_id?: string | null }

/** What `findPaymentOrdersStep` found. */
export type FoundPaymentOrder = {
  /** The payment's order, or the order given; null for a payment of no order. */
  order_id: string | null
  /**
   * Whether there can be anything to audit: always true for a payment (its
   * event names a capture or refund); for an order (`order.canceled`),
   * whether any of its payments has a capture or a refund at all.
   */
  has_money_actions: boolean
}

export const findPaymentOrdersStepId = "find-payment-orders"

/**
 * The order a payment belongs to (through its payment collection), or the
 * order given; null for a payment of no order (a cart's, before completion).
 * For an order, also whether any of its payments was ever captured or
 * refunded: an order canceled unpaid (most auto-closed ones) has nothing for
 * the audit of Medusa's actions, so that run needs no lock and no plan.
 * Read without the lock on purpose: captures and refunds made before the
 * `order.canceled` event are committed by then, and one made later has its
 * own event (or is the plugin's own, audited by the plugin).
 */
export const findPaymentOrdersStep = createStep(
  findPaymentOrdersStepId,
  async (input: FindPaymentOrdersStepInput, { container }): Promise<StepResponse<FoundPaymentOrder>> => {
    if (input.order_id) {
      const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const { rows } = await pg.raw(
        `select exists (
           select 1
             from order_payment_collection opc
             join payment p on p.payment_collection_id = opc.payment_collection_id and p.deleted_at is null
            where opc.order_id = ? and opc.deleted_at is null
              and (exists (select 1 from capture c where c.payment_id = p.id and c.deleted_at is null)
                   or exists (select 1 from refund r where r.payment_id = p.id and r.deleted_at is null))
         ) as has_money_actions`,
        [input.order_id]
      )
      return new StepResponse({ order_id: input.order_id as string | null, has_money_actions: !!rows[0]?.has_money_actions })
    }
    if (!input.payment_id) {
      return new StepResponse({ order_id: null, has_money_actions: false })
    }
    const [payment] = await container
      .resolve(Modules.PAYMENT)
      .listPayments({ id: input.payment_id }, { select: ["id", "payment_collection_id"] })
    if (!payment) {
      return new StepResponse({ order_id: null, has_money_actions: false })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: payment.payment_collection_id },
    })
    return new StepResponse({
      order_id: ((data[0] as { order_id?: string } | undefined)?.order_id ?? null) as string | null,
      has_money_actions: true,
    })
  }
  // No compensation: it only reads.
)
