import type { MedusaContainer } from "@medusajs/framework/types"
import type { RefundRequestRow } from "../../../modules/payment-desk/models/refund-request"
import type { ProviderOutcome } from "../transitions"

/** What a gateway reports about one attempt of a ledger row. */
export type GatewayAnswer = {
  outcome: ProviderOutcome
  /** The ledger attempt the answer is about, when the provider tells (Stripe: the refund's metadata). */
  attempt?: number | null
  /** The provider's refund id (Stripe `re_...`). */
  provider_refund_id?: string | null
  /** Medusa's refund row, when the gateway made it (payment module path). */
  medusa_refund_id?: string | null
  /** Why it failed or is unknown, for the ledger and the merchant. */
  message?: string | null
  /** The raw request and answer or error, kept in the row's attempt log. */
  request?: Record<string, unknown>
  response?: Record<string, unknown>
  error?: { type?: string; code?: string; status?: number; message: string }
}

/** What a gateway finds at the provider for a row's current attempt. */
export type GatewayFinding = {
  /** The attempt's refund as the provider has it; null when the provider has none. */
  answer: GatewayAnswer | null
  /** Refunds the provider has on this payment that no ledger row made. */
  unknown_refunds: string[]
}

/** A refund as a provider's list shows it (the fields reconciliation reads). */
export type ListedRefund = {
  id: string
  status: string | null
  amount: number
  failure_reason: string | null
  metadata: Record<string, string> | null
}

/**
 * Every refund a provider has on one payment, listed once for all the ledger
 * rows of that payment (reconciliation); `listed_at` lets a row refuse a
 * listing older than its current attempt's dispatch.
 */
export type ProviderListing = { listed_at: string; refunds: ListedRefund[] }

/**
 * One provider integration behind the refund ledger: `send` makes the
 * current attempt with the row's `provider_key` (the dispatch is recorded
 * before it is called), `find` asks how that attempt ended. A step reads the
 * same whichever gateway it calls.
 */
export interface RefundGateway {
  name: "stripe" | "payment-module"
  send(container: MedusaContainer, row: RefundRequestRow): Promise<GatewayAnswer>
  /** `listing`: the payment's refunds listed earlier in this reconciliation run, used instead of asking again. */
  find(
    container: MedusaContainer,
    row: RefundRequestRow,
    ledger: RefundRequestRow[],
    listing?: ProviderListing | null
  ): Promise<GatewayFinding>
}
