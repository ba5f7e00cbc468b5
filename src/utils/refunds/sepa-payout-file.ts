import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools"
import { Document as SepaDocument } from "sepa"

/** One transfer of a payout file: a refund to a customer's account. */
export type SepaPayout = {
  /** Our id of the transfer, returned on the bank statement as `EndToEndId` (max 35, SEPA characters). */
  end_to_end_id: string
  /** Decimal string with a dot and at most 2 decimals, e.g. `"30.00"`. */
  amount: string
  /** Must be EUR (any case): SEPA credit transfers are in euro only. */
  currency_code: string
  /** The payee, at most 70 characters. */
  creditor_name: string
  creditor_iban: string
  creditor_bic?: string | null
  /** Unstructured remittance shown to the payee, at most 140 characters. */
  remittance: string
}

/** A payout file: who pays, when, and the transfers. */
export type SepaCreditTransferInput = {
  /** The file's unique id (`GrpHdr/MsgId`), at most 35 SEPA characters. */
  message_id: string
  /** Written as `GrpHdr/CreDtTm` in the server's local time (the library's format). */
  created_at: Date
  /** Requested execution date, `YYYY-MM-DD`. */
  execution_date: string
  /** The merchant's account the money leaves from. */
  debtor: { name: string; iban: string; bic?: string | null }
  payments: SepaPayout[]
}

/** A payout the file cannot carry: a 400 naming the payment (index and end-to-end id) and the field. */
export class SepaPayoutError extends MedusaError {
  /** Index in `payments`, or null when the error is about the file (message id, date, debtor). */
  readonly payment_index: number | null
  /** The input field at fault, e.g. `creditor_iban`, `debtor.iban`. */
  readonly field: string

  constructor(paymentIndex: number | null, field: string, message: string) {
    super(MedusaError.Types.INVALID_DATA, message)
    this.name = "SepaPayoutError"
    this.payment_index = paymentIndex
    this.field = field
  }
}

// The Latin character set every SEPA bank accepts, for ids.
const SEPA_ID = /^[A-Za-z0-9+?/\-:().,' ]+$/
const AMOUNT = /^[0-9]+(?:\.[0-9]{1,2})?$/
const MAX_AMOUNT = "999999999.99"

function checkId(value: string, fail: (why: string) => never): void {
  if (!value || value.length > 35 || !SEPA_ID.test(value) || value.startsWith("/") || value.includes("//")) {
    fail(`must be 1 to 35 letters, digits or + ? / - : ( ) . , ' and space, not starting with "/" nor containing "//"`)
  }
}

function checkIban(value: string, fail: (why: string) => never): string {
  const electronic = electronicFormatIBAN(value) ?? ""
  if (!isValidIBAN(electronic)) {
    fail(`"${value}" is not a valid IBAN`)
  }
  return electronic
}

function checkBic(value: string | null | undefined, fail: (why: string) => never): string {
  if (!value) {
    return ""
  }
  const bic = value.replace(/\s+/g, "").toUpperCase()
  if (!isValidBIC(bic)) {
    fail(`"${value}" is not a valid BIC`)
  }
  return bic
}

function checkText(value: string, max: number, required: boolean, fail: (why: string) => never): string {
  const text = (value ?? "").replace(/\s+/g, " ").trim()
  if (required && !text) {
    fail("is required")
  }
  if (text.length > max) {
    fail(`is ${text.length} characters long, SEPA allows ${max}`)
  }
  return text
}

/**
 * A SEPA credit transfer initiation (pain.001.001.03 XML) paying out refunds
 * from the merchant's account, built with the `sepa` library: one payment
 * information block, one transaction per payout. Every payout is checked
 * first (EUR only, IBAN/BIC, amount, lengths); a bad one is a
 * {@link SepaPayoutError} naming it (`payments[1] (end_to_end_id "…")`) and the field.
 */
export function buildSepaCreditTransfer(input: SepaCreditTransferInput): string {
  const fileFail =
    (field: string) =>
    (why: string): never => {
      throw new SepaPayoutError(null, field, `SEPA payout file ${field} ${why}`)
    }
  checkId(input.message_id, fileFail("message_id"))
  const dateMatch = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(input.execution_date)
  const executionDate = dateMatch ? new Date(Number(dateMatch[1]), Number(dateMatch[2]) - 1, Number(dateMatch[3])) : null
  if (
    !dateMatch ||
    !executionDate ||
    executionDate.getMonth() !== Number(dateMatch[2]) - 1 ||
    executionDate.getDate() !== Number(dateMatch[3])
  ) {
    fileFail("execution_date")(`"${input.execution_date}" is not a date (YYYY-MM-DD)`)
  }
  if (!(input.created_at instanceof Date) || Number.isNaN(input.created_at.getTime())) {
    fileFail("created_at")("must be a date")
  }
  const debtorName = checkText(input.debtor.name, 70, true, fileFail("debtor.name"))
  const debtorIban = checkIban(input.debtor.iban, fileFail("debtor.iban"))
  const debtorBic = checkBic(input.debtor.bic, fileFail("debtor.bic"))
  if (!input.payments.length) {
    fileFail("payments")("must hold at least one payment")
  }

  const seen = new Set<string>()
  const payments = input.payments.map((payment, index) => {
    const fail =
      (field: string) =>
      (why: string): never => {
        throw new SepaPayoutError(
          index,
          field,
          `SEPA payout payments[${index}] (end_to_end_id "${payment.end_to_end_id}") ${field} ${why}`
        )
      }
    checkId(payment.end_to_end_id, fail("end_to_end_id"))
    if (seen.has(payment.end_to_end_id)) {
      fail("end_to_end_id")("is used by an earlier payment of the file")
    }
    seen.add(payment.end_to_end_id)
    if ((payment.currency_code ?? "").toLowerCase() !== "eur") {
      fail("currency_code")(`is "${payment.currency_code}": SEPA credit transfers are in EUR only`)
    }
    if (!AMOUNT.test(payment.amount ?? "") || MathBN.lte(payment.amount, 0) || MathBN.gt(payment.amount, MAX_AMOUNT)) {
      fail("amount")(`"${payment.amount}" must be a positive amount in euro with at most 2 decimals, up to ${MAX_AMOUNT}`)
    }
    const creditorIban = checkIban(payment.creditor_iban, fail("creditor_iban"))
    return {
      end_to_end_id: payment.end_to_end_id,
      amount: MathBN.convert(payment.amount).toFixed(2),
      creditor_name: checkText(payment.creditor_name, 70, true, fail("creditor_name")),
      creditor_iban: creditorIban,
      creditor_bic: checkBic(payment.creditor_bic, fail("creditor_bic")),
      remittance: checkText(payment.remittance, 140, false, fail("remittance")),
    }
  })

  const document = new SepaDocument("pain.001.001.03")
  document.grpHdr.id = input.message_id
  document.grpHdr.created = input.created_at
  document.grpHdr.initiatorName = debtorName

  const info = document.createPaymentInfo()
  info.requestedExecutionDate = executionDate as Date
  info.debtorName = debtorName
  info.debtorIBAN = debtorIban
  info.debtorBIC = debtorBic
  document.addPaymentInfo(info)

  payments.forEach((payment, index) => {
    const transaction = info.createTransaction()
    transaction.end2endId = payment.end_to_end_id
    // The library takes a number; 2-decimal euro amounts up to 999,999,999.99 are exact enough to round-trip.
    transaction.amount = Number(payment.amount)
    transaction.currency = "EUR"
    transaction.creditorName = payment.creditor_name
    transaction.creditorIBAN = payment.creditor_iban
    transaction.creditorBIC = payment.creditor_bic
    transaction.remittanceInfo = payment.remittance
    try {
      // The library's own rules (e.g. a BIC of another country than the IBAN).
      transaction.validate()
    } catch (error) {
      throw new SepaPayoutError(
        index,
        "payment",
        `SEPA payout payments[${index}] (end_to_end_id "${payment.end_to_end_id}") is refused: ${
          error instanceof Error ? error.message : String(error)
        }`
      )
    }
    info.addTransaction(transaction)
  })

  let xml: string
  try {
    xml = document.toString()
  } catch (error) {
    throw new SepaPayoutError(
      null,
      "payments",
      `SEPA payout file ${input.message_id} was refused by the SEPA writer: ${error instanceof Error ? error.message : String(error)}`
    )
  }

  // The library sums amounts as floating point numbers: check its control sums against the exact sum.
  const exact = payments.reduce((sum, payment) => MathBN.add(sum, payment.amount), MathBN.convert(0)).toFixed(2)
  const sums = [...xml.matchAll(/<CtrlSum>([^<]*)<\/CtrlSum>/g)].map((match) => match[1])
  if (sums.length === 0 || sums.some((sum) => sum !== exact)) {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `SEPA payout file ${input.message_id}: control sum ${sums.join("/")} differs from the exact sum ${exact}`
    )
  }
  return xml
}
