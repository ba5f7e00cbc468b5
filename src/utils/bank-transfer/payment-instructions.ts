import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { friendlyFormatIBAN } from "ibantools"
import type { BankAccount, ReferenceFormat } from "../../providers/manual-payment/options"
import { epcPayload } from "./epc-qr"
import { creditorReference } from "./rf-reference"

/** The account as the customer and the merchant see it. */
export type PaymentAccount = {
  account_holder: string
  iban: string
  bic: string | null
  bank_name: string | null
}

/** The placeholders an instruction text may use. */
export const INSTRUCTION_PLACEHOLDERS = [
  "reference",
  "amount",
  "iban",
  "bic",
  "account_holder",
  "pay_by",
  "order_number",
] as const

export type InstructionPlaceholder = (typeof INSTRUCTION_PLACEHOLDERS)[number]

/** The payment reference of an order: its creditor reference (`rf`) or its display id; null without a display id. */
export function orderReference(
  displayId: number | null | undefined,
  format: ReferenceFormat | undefined
): string | null {
  if (displayId === null || displayId === undefined) {
    return null
  }
  return format === "display_id" ? String(displayId) : creditorReference(displayId)
}

/** An amount with its currency's usual decimals, e.g. "110.00 EUR" or "500 JPY". */
export function formatAmount(amount: BigNumberInput, currencyCode: string): string {
  const code = currencyCode.toUpperCase()
  let decimals = 2
  try {
    decimals = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2
  } catch {
    // An unknown currency code keeps two decimals.
  }
  return `${MathBN.convert(amount).toFixed(decimals)} ${code}`
}

/** A deadline as the customer reads it, in UTC: "2026-11-25 16:30 UTC". */
export function formatPayBy(payBy: string | Date | null): string {
  if (!payBy) {
    return "no deadline"
  }
  return `${new Date(payBy).toISOString().slice(0, 16).replace("T", " ")} UTC`
}

/** Replaces the known `{placeholder}`s of an instruction text; other braces stay as written. */
export function fillInstructions(
  template: string,
  values: Record<InstructionPlaceholder, string>
): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    (INSTRUCTION_PLACEHOLDERS as readonly string[]).includes(name)
      ? values[name as InstructionPlaceholder]
      : whole
  )
}

/** The payload, or null when the payment does not fit a QR code (an amount beyond EPC's limit): the text instructions still hold. */
function safeEpcPayload(input: Parameters<typeof epcPayload>[0]): string | null {
  try {
    return epcPayload(input)
  } catch {
    return null
  }
}

/** What a customer needs to pay an order by bank transfer, derived from the payment's stored method settings. */
export function bankTransferDetails(input: {
  display_id: number | null
  currency_code: string
  amount_due: BigNumberInput
  pay_by: string | null
  instructions: string
  reference_format?: ReferenceFormat
  account?: BankAccount | null
}) {
  const reference = orderReference(input.display_id, input.reference_format)
  const stored = input.account ?? null
  const account: PaymentAccount | null = stored
    ? {
        account_holder: stored.account_holder,
        iban: stored.iban,
        bic: stored.bic ?? null,
        bank_name: stored.bank_name ?? null,
      }
    : null
  // EPC QR codes are for euro SEPA transfers only, and only while money is due.
  const epc =
    stored && reference && stored.currency === "eur" && input.currency_code.toLowerCase() === "eur" &&
    MathBN.gt(input.amount_due, 0)
      ? safeEpcPayload({
          account_holder: stored.account_holder,
          iban: stored.iban,
          bic: stored.bic,
          amount: input.amount_due,
          reference,
        })
      : null
  const instructions = fillInstructions(input.instructions, {
    reference: reference ?? "",
    amount: formatAmount(input.amount_due, input.currency_code),
    iban: stored ? friendlyFormatIBAN(stored.iban) ?? stored.iban : "",
    bic: stored?.bic ?? "",
    account_holder: stored?.account_holder ?? "",
    pay_by: formatPayBy(input.pay_by),
    order_number: input.display_id === null ? "" : String(input.display_id),
  })
  return { reference, account, epc_payload: epc, instructions }
}
