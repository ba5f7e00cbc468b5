import { MathBN } from "@medusajs/framework/utils"
import type { BankTransactionRow } from "../../../modules/payment-desk/models/bank-transaction"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import type { RecordPaymentWorkflowInput } from "../../receipts/record-payment"
import type { Actor } from "../../shared/steps/resolve-actor"
import type { StoreBankAccount } from "../../../utils/bank-transfer/store-accounts"

/** What a bank line's receipt books: the amount (never beyond what the order owes), the excess, the method. */
export type BankReceiptPlan = {
  order_id: string
  amount: number
  /** Received beyond what the order owed; flagged on the line, never captured. */
  excess_amount: string | null
  method: string
  received_at: string
}

/** The Idempotency-Key a bank line's receipt is recorded under: one receipt per line, ever. */
export const bankReceiptKey = (bankTransactionId: string) => `bank-transaction:${bankTransactionId}`

/** The audit entry of the receipt recorded under a line's key on its order, if one was. */
export async function findBankReceipt(
  desk: PaymentDeskModuleService,
  orderId: string,
  bankTransactionId: string
): Promise<string | null> {
  const [entry] = await desk.listAuditEntries(
    { order_id: orderId, action: "payment_recorded", idempotency_key: bankReceiptKey(bankTransactionId) },
    { select: ["id"], take: 1 }
  )
  return (entry?.id as string | undefined) ?? null
}

/** The receipt method of the store account a line was booked on (`bank-transfer` when none names it). */
export function bankReceiptMethod(line: Pick<BankTransactionRow, "account">, accounts: StoreBankAccount[]): string {
  return accounts.find((candidate) => candidate.iban === line.account)?.method ?? "bank-transfer"
}

/** The booking date of a line as an ISO timestamp (the receipt's received-at). */
export function bankReceivedAt(line: Pick<BankTransactionRow, "booking_date">): string {
  return new Date(line.booking_date as unknown as string).toISOString()
}

/**
 * Whether the import matched a credit line to exactly what its order owed
 * (not a person's pick): it is booked as it is, and the record-payment
 * workflow re-checks the order under its lock.
 */
export function isExactBankMatch(line: Pick<BankTransactionRow, "direction" | "amount_match" | "match_type" | "order_id">): boolean {
  return line.direction === "credit" && line.amount_match === "exact" && line.match_type !== "manual" && !!line.order_id
}

/** The plan of an exact match: the line's whole amount on its order, no excess. */
export function exactBankReceiptPlan(line: BankTransactionRow, accounts: StoreBankAccount[]): BankReceiptPlan {
  return {
    order_id: line.order_id as string,
    amount: MathBN.convert(line.amount as never).toNumber(),
    excess_amount: null,
    method: bankReceiptMethod(line, accounts),
    received_at: bankReceivedAt(line),
  }
}

/**
 * The record-payment input of a bank line's receipt: the bank's reference,
 * the line in the note, the payer's name and IBAN, the file and line in the
 * metadata, and `source_key` so the line is recorded once ever.
 */
export function bankReceiptInput(
  line: BankTransactionRow,
  plan: BankReceiptPlan,
  context: { actor: Actor; note?: string | null; ip?: string | null; user_agent?: string | null }
): RecordPaymentWorkflowInput {
  return {
    order_id: plan.order_id,
    amount: plan.amount,
    method: plan.method,
    reference: line.bank_transaction_id ?? line.structured_reference ?? line.end_to_end_id ?? null,
    received_at: plan.received_at,
    note: [`Bank statement line ${line.line}`, line.counterparty_name ? `from ${line.counterparty_name}` : null, context.note]
      .filter(Boolean)
      .join(" · "),
    actor: context.actor,
    ip: context.ip ?? null,
    user_agent: context.user_agent ?? null,
    source_key: bankReceiptKey(line.id),
    metadata: {
      bank_transaction_id: line.id,
      bank_statement_id: line.bank_statement_id,
      line: line.line,
      payer_name: line.counterparty_name,
      payer_iban: line.counterparty_iban,
      excess_amount: plan.excess_amount,
    },
  }
}
