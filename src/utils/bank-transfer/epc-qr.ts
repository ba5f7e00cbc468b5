import { MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import QRCode from "qrcode"
import { isValidCreditorReference } from "./rf-reference"

/** What an EPC QR code (GiroCode) asks the customer's banking app to pay. */
export type EpcPaymentInput = {
  /** The beneficiary's name, at most 70 characters. */
  account_holder: string
  iban: string
  bic?: string | null
  /** Amount in euro; 0.01 to 999999999.99. */
  amount: BigNumberInput
  /** An ISO 11649 reference goes to the structured remittance, anything else to the text. */
  reference: string
}

const MAX_AMOUNT = "999999999.99"

/**
 * The EPC069-12 payload (version 002, UTF-8, SEPA credit transfer): one field
 * per line, the reference as structured remittance when it is an RF
 * reference, else as remittance text.
 */
export function epcPayload(input: EpcPaymentInput): string {
  const holder = input.account_holder.trim()
  if (!holder || [...holder].length > 70) {
    throw new Error(`An EPC QR code needs an account holder of 1 to 70 characters, got "${holder}"`)
  }
  const amount = MathBN.convert(input.amount)
  if (MathBN.lt(amount, "0.01") || MathBN.gt(amount, MAX_AMOUNT)) {
    throw new Error(`An EPC QR code needs an amount from EUR0.01 to EUR${MAX_AMOUNT}, got ${amount.toString()}`)
  }
  const reference = input.reference.replace(/\s+/g, "")
  const structured = isValidCreditorReference(reference)
  if (!structured && reference.length > 140) {
    throw new Error(`An EPC QR code's remittance text is at most 140 characters`)
  }
  return [
    "BCD",
    "002",
    "1",
    "SCT",
    (input.bic ?? "").replace(/\s+/g, "").toUpperCase(),
    holder,
    input.iban.replace(/\s+/g, "").toUpperCase(),
    `EUR${amount.toFixed(2)}`,
    "",
    structured ? reference.toUpperCase() : "",
    structured ? "" : reference,
  ].join("\n")
}

// Rendered codes by payload: every summary of an order with the same amount
// due shows the same code, so each is drawn once (the oldest dropped first).
const rendered = new Map<string, Promise<string>>()
const RENDERED_MAX = 256

/** A QR code of the payload as an SVG document; error correction M, as EPC069-12 requires. */
export function renderQrSvg(payload: string): Promise<string> {
  const known = rendered.get(payload)
  if (known) {
    return known
  }
  const svg = QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 4 })
  rendered.set(payload, svg)
  svg.catch(() => rendered.delete(payload))
  if (rendered.size > RENDERED_MAX) {
    rendered.delete(rendered.keys().next().value as string)
  }
  return svg
}
