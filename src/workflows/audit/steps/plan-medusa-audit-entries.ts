import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { AuditEntryInput } from "../../../modules/payment-desk/models/audit-entry"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { MedusaPaymentRead, medusaAuditEntries, PluginReceipt } from "../../../utils/audit/medusa-actions"

export type PlanMedusaAuditEntriesStepInput = {
  order_id: string
  /** Only this payment's captures and refunds; every payment of the order when absent. */
  payment_id?: string | null
  /** The Medusa event that brought us here, kept in each entry's metadata. */
  event: string
}

export const planMedusaAuditEntriesStepId = "plan-medusa-audit-entries"

type CollectionRead = { id: string; payments?: (Omit<MedusaPaymentRead, "checkout_collection"> | null)[] | null }

/**
 * Reads, under the order's lock, the captures and refunds of the order's
 * payments and works out the audit entries of those Medusa's own buttons
 * made (the plugin's own are left out).
 */
export const planMedusaAuditEntriesStep = createStep(
  planMedusaAuditEntriesStepId,
  async (input: PlanMedusaAuditEntriesStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "payment_collections.id",
        "payment_collections.payments.id",
        "payment_collections.payments.provider_id",
        "payment_collections.payments.amount",
        "payment_collections.payments.raw_amount",
        "payment_collections.payments.currency_code",
        "payment_collections.payments.created_at",
        "payment_collections.payments.captures.id",
        "payment_collections.payments.captures.amount",
        "payment_collections.payments.captures.raw_amount",
        "payment_collections.payments.captures.created_by",
        "payment_collections.payments.captures.created_at",
        "payment_collections.payments.refunds.id",
        "payment_collections.payments.refunds.amount",
        "payment_collections.payments.refunds.raw_amount",
        "payment_collections.payments.refunds.created_by",
        "payment_collections.payments.refunds.created_at",
        "payment_collections.payments.refunds.note",
        "payment_collections.payments.refunds.refund_reason_id",
        "payment_collections.payments.refunds.metadata",
      ],
      filters: { id: input.order_id },
    })
    const collections = ((data[0]?.payment_collections ?? []) as unknown as (CollectionRead | null)[]).filter(
      (c): c is CollectionRead => !!c
    )
    if (!collections.length) {
      return new StepResponse([] as AuditEntryInput[])
    }
    const { data: checkoutLinks } = await query.graph({
      entity: "cart_payment_collection",
      fields: ["payment_collection_id"],
      filters: { payment_collection_id: collections.map((c) => c.id) },
    })
    const checkout = new Set((checkoutLinks as { payment_collection_id: string }[]).map((l) => l.payment_collection_id))
    const payments: MedusaPaymentRead[] = collections.flatMap((collection) =>
      (collection.payments ?? [])
        .filter((p): p is Omit<MedusaPaymentRead, "checkout_collection"> => !!p)
        .filter((p) => !input.payment_id || p.id === input.payment_id)
        .map((p) => ({
          ...p,
          captures: (p.captures ?? []).filter(Boolean),
          refunds: (p.refunds ?? []).filter(Boolean),
          checkout_collection: checkout.has(collection.id),
        }))
    )
    if (!payments.some((p) => p.captures.length || p.refunds.length)) {
      return new StepResponse([] as AuditEntryInput[])
    }

    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const recorded = await desk.listAuditEntries(
      { payment_id: payments.map((p) => p.id), action: "payment_recorded" },
      { select: ["payment_id", "amount", "metadata", "created_at"] }
    )
    const receipts: PluginReceipt[] = recorded.map((entry) => ({
      payment_id: entry.payment_id,
      capture_id: ((entry.metadata as Record<string, unknown> | null)?.capture_id as string | undefined) ?? null,
      amount: entry.amount ?? null,
      created_at: entry.created_at,
    }))

    const userIds = [
      ...new Set(payments.flatMap((p) => [...p.captures, ...p.refunds].map((row) => row.created_by).filter((id): id is string => !!id))),
    ]
    const userEmails: Record<string, string> = {}
    if (userIds.length) {
      const { data: users } = await query.graph({ entity: "user", fields: ["id", "email"], filters: { id: userIds } })
      for (const user of users as { id: string; email: string }[]) {
        userEmails[user.id] = user.email
      }
    }
    return new StepResponse(
      medusaAuditEntries({ order_id: input.order_id, payments, receipts, user_emails: userEmails, event: input.event })
    )
  }
  // No compensation: it only reads.
)
