import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type { CancellationRequestRow, CancellationRequestStatus } from "../../modules/payment-desk/models/cancellation-request"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { actorBrief, ActorBrief, customerBrief, CustomerBrief, describePeople } from "../people/describe-people"
import { closeReasonLabel } from "./reasons"

/** A cancellation request as the admin lists show it. */
export type CancellationRequestView = CancellationRequestRow & {
  order_display_id: number | null
  customer: CustomerBrief
  reason_label: string | null
  answered_by_actor: ActorBrief | null
}

async function describe(container: MedusaContainer, rows: CancellationRequestRow[]): Promise<CancellationRequestView[]> {
  if (!rows.length) {
    return []
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const [{ data: orders }, people] = await Promise.all([
    query.graph({ entity: "order", fields: ["id", "display_id", "email"], filters: { id: [...new Set(rows.map((row) => row.order_id))] } }),
    describePeople(container, { customers: rows.map((row) => row.customer_id), users: rows.map((row) => row.answered_by) }),
  ])
  const orderById = new Map((orders as { id: string; display_id: number | null; email: string | null }[]).map((o) => [o.id, o]))
  return rows.map((row) => ({
    ...row,
    order_display_id: orderById.get(row.order_id)?.display_id ?? null,
    customer: customerBrief(people, row.customer_id, orderById.get(row.order_id)?.email),
    reason_label: closeReasonLabel(row.reason),
    answered_by_actor: row.answered_by ? actorBrief(people, "user", row.answered_by) : null,
  }))
}

/** A page of cancellation requests with order numbers, customers and labels (batched lookups). */
export async function listCancellationRequests(
  container: MedusaContainer,
  filters: { status?: CancellationRequestStatus; order_id?: string; limit: number; offset: number }
): Promise<{ cancellation_requests: CancellationRequestView[]; count: number }> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const where = { ...(filters.status ? { status: filters.status } : {}), ...(filters.order_id ? { order_id: filters.order_id } : {}) }
  const [rows, count] = await desk.listAndCountCancellationRequests(where, {
    skip: filters.offset,
    take: filters.limit,
    // Open requests are a queue: oldest first; answered ones read like a log.
    order: filters.status === "open" ? { created_at: "ASC", id: "ASC" } : { created_at: "DESC", id: "DESC" },
  })
  return { cancellation_requests: await describe(container, rows as unknown as CancellationRequestRow[]), count }
}

/** One cancellation request with its human figures; 404 when absent. */
export async function describeCancellationRequest(container: MedusaContainer, id: string): Promise<CancellationRequestView> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const [row] = await desk.listCancellationRequests({ id })
  if (!row) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cancellation request with id: ${id} was not found`)
  }
  return (await describe(container, [row as unknown as CancellationRequestRow]))[0]
}
