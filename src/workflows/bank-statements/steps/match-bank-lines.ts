import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/postgresql"
import { PAYMENT_DESK_MODULE } from "../../../modules/payment-desk"
import type { BankTransactionInsert } from "../../../modules/payment-desk/service"
import type PaymentDeskModuleService from "../../../modules/payment-desk/service"
import { setImmediate as yieldToLoop } from "node:timers/promises"
import { dedupeKeysSliced } from "../../../utils/bank-statements/line-keys"
import { runSlicedAsync } from "../../../utils/bank-statements/slices"
import { matchCredit, MatchCandidate, referencedDisplayIds } from "../../../utils/bank-statements/match"
import { addressName, loadKnownPayers, PayerSource } from "../../../utils/bank-statements/known-payers"
import type { ParsedBankLine } from "../../../types/bank-statements"
import { refundIdOfEndToEndId } from "../../../utils/refunds/sepa-payouts"

/** Input of {@link matchBankLinesStep}: the parsed lines with the store account each was booked on. */
export type MatchBankLinesStepInput = {
  lines: (ParsedBankLine & { account: string })[]
}

export const matchBankLinesStepId = "match-bank-lines"

/** Why a credit carrying a refund's end-to-end id waits for review. */
export const RETURNED_PAYOUT_REASON = "A refund payout the bank returned: confirm to reopen the refund for payout"
/** Why a reversed credit (the bank took an incoming payment back) waits for review. */
export const REVERSED_CREDIT_REASON =
  "The bank reversed an incoming payment: book the reversal to refund the order's receipt, or ignore this line with a note"

const CHUNK = 1000
/** Lines decided between two yields to the event loop: an upload of 10,000 lines never holds it for long. */
const SLICE = 250

/**
 * Open orders by display id, with what each still owes (Medusa's pending
 * difference), read in chunks; those in `namedInText` (quoted only as an
 * order number) also with who is known to pay for them.
 */
async function candidatesByDisplayId(
  container: Parameters<Parameters<typeof createStep>[1]>[1]["container"],
  displayIds: number[],
  namedInText: Set<number>
): Promise<Map<number, MatchCandidate>> {
  const orderModule = container.resolve(Modules.ORDER)
  const found = new Map<number, MatchCandidate>()
  const payerSources: PayerSource[] = []
  for (let start = 0; start < displayIds.length; start += CHUNK) {
    const orders = await orderModule.listOrders(
      { display_id: displayIds.slice(start, start + CHUNK), is_draft_order: false } as never,
      {
        select: ["id", "display_id", "status", "currency_code", "customer_id"],
        relations: ["summary", "billing_address", "shipping_address"],
        take: CHUNK,
      }
    )
    for (const order of orders) {
      const pending = MathBN.convert((order.summary as { pending_difference?: number } | null)?.pending_difference ?? 0)
      found.set(Number(order.display_id), {
        order_id: order.id,
        display_id: Number(order.display_id),
        currency_code: order.currency_code,
        outstanding: MathBN.gt(pending, 0) ? pending.toString() : "0",
        canceled: order.status === "canceled",
      })
      if (namedInText.has(Number(order.display_id))) {
        payerSources.push({
          order_id: order.id,
          customer_id: order.customer_id ?? null,
          names: [addressName(order.billing_address), addressName(order.shipping_address)],
        })
      }
    }
  }
  const payers = await loadKnownPayers(container, payerSources)
  for (const candidate of found.values()) {
    candidate.payer = payers.get(candidate.order_id)
  }
  return found
}

/** Open orders that owe exactly one of `amounts` (suggestions for lines that name no order), by currency and amount. */
async function ordersOwing(
  knex: Knex,
  wanted: { currency_code: string; amount: string }[]
): Promise<Map<string, MatchCandidate[]>> {
  const byKey = new Map<string, MatchCandidate[]>()
  if (!wanted.length) {
    return byKey
  }
  const currencies = [...new Set(wanted.map((w) => w.currency_code))]
  const amounts = [...new Set(wanted.map((w) => w.amount))]
  const { rows } = await knex.raw(
    `select o.id, o.display_id, o.currency_code, (s.totals->>'pending_difference')::numeric as due
       from "order" o
       join "order_summary" s on s.order_id = o.id and s.version = o.version and s.deleted_at is null
      where o.deleted_at is null and o.is_draft_order = false and o.status not in ('canceled', 'draft')
        and o.currency_code = any(?) and (s.totals->>'pending_difference')::numeric = any(?::numeric[])
      order by o.created_at
      limit 2000`,
    [currencies, amounts]
  )
  for (const row of rows as { id: string; display_id: number; currency_code: string; due: string }[]) {
    const key = `${row.currency_code}:${MathBN.convert(row.due).toString()}`
    const list = byKey.get(key) ?? []
    list.push({
      order_id: row.id,
      display_id: Number(row.display_id),
      currency_code: row.currency_code,
      outstanding: MathBN.convert(row.due).toString(),
      canceled: false,
    })
    byKey.set(key, list)
  }
  return byKey
}

/**
 * Decides each line before anything is stored: a credit is matched to an
 * order (reference, then order number, then the amount against what the
 * order owes; an order matched by an earlier line of the file owes that much
 * less); a debit whose end-to-end id names a refund awaiting payout for the
 * same amount is matched to it; every other debit is ignored. Reads only:
 * one query per thousand referenced orders, one for amount suggestions, one
 * for refunds.
 */
export const matchBankLinesStep = createStep(
  matchBankLinesStepId,
  async (input: MatchBankLinesStepInput, { container }) => {
    const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const knex = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
    // `bank_statements.auto_record`: exact matches are booked by themselves, or wait for review like the rest.
    const autoRecord = desk.getOptions().bank_statements.auto_record
    const credits = input.lines.filter((line) => line.direction === "credit")
    const debits = input.lines.filter((line) => line.direction === "debit")

    const displayIds = new Set<number>()
    const namedInText = new Set<number>()
    for (const [index, line] of [...credits, ...debits.filter((debit) => debit.reversal)].entries()) {
      if (index && index % SLICE === 0) {
        await yieldToLoop()
      }
      const { by_reference, by_order_number } = referencedDisplayIds(line)
      by_reference.forEach((id) => displayIds.add(id))
      by_order_number.forEach((id) => {
        displayIds.add(id)
        namedInText.add(id)
      })
    }
    // Debits naming a refund pay it out; credits naming one return its payout.
    const payoutIds = [...new Set(input.lines.map((line) => refundIdOfEndToEndId(line.end_to_end_id)).filter((id): id is string => !!id))]
    const [candidates, refunds] = await Promise.all([
      candidatesByDisplayId(container, [...displayIds], namedInText),
      payoutIds.length ? desk.listRefundRequests({ id: payoutIds }) : Promise.resolve([]),
    ])

    const keys = await runSlicedAsync(dedupeKeysSliced(input.lines))
    // Lines naming no order get suggestions: open orders owing exactly their amount.
    const unmatched: typeof credits = []
    for (const [index, line] of credits.entries()) {
      if (index && index % SLICE === 0) {
        await yieldToLoop()
      }
      if (!matchCredit(line, candidates).order_id) {
        unmatched.push(line)
      }
    }
    const owing = await ordersOwing(
      knex,
      unmatched.map((line) => ({ currency_code: line.currency_code, amount: MathBN.convert(line.amount).toString() }))
    )
    const refundById = new Map(refunds.map((refund) => [refund.id, refund]))
    const byOrderId = new Map([...candidates.values()].map((candidate) => [candidate.order_id, candidate]))

    const decide = (line: MatchBankLinesStepInput["lines"][number], key: string): BankTransactionInsert => {
      const base = {
        line: line.line,
        account: line.account,
        dedupe_key: key,
        bank_transaction_id: line.bank_transaction_id,
        direction: line.direction,
        amount: line.amount,
        currency_code: line.currency_code,
        booking_date: line.booking_date,
        value_date: line.value_date,
        remittance: line.remittance,
        structured_reference: line.structured_reference,
        end_to_end_id: line.end_to_end_id,
        counterparty_name: line.counterparty_name,
        counterparty_iban: line.counterparty_iban,
        reversal: line.reversal === true,
      }
      if (line.direction === "debit") {
        const refundId = refundIdOfEndToEndId(line.end_to_end_id)
        const refund = refundId ? refundById.get(refundId) : undefined
        const payable = refund?.status === "awaiting_payout" && MathBN.eq(refund.amount as never, line.amount) &&
          refund.currency_code.toLowerCase() === line.currency_code
        if (!refund && line.reversal) {
          // The bank took back a credit: never left silent while the order looks paid.
          const reversed = matchCredit(line, candidates)
          return {
            ...base,
            status: "review",
            match_type: reversed.match_type,
            amount_match: null,
            order_id: reversed.order_id,
            suggested_order_ids: reversed.order_id ? [reversed.order_id] : reversed.suggested_order_ids,
            excess_amount: null,
            refund_request_id: null,
            review_reason: REVERSED_CREDIT_REASON,
          }
        }
        return {
          ...base,
          status: refund ? (payable ? "matched" : "review") : "ignored",
          match_type: refund ? "end_to_end_id" : "none",
          amount_match: refund ? (MathBN.eq(refund.amount as never, line.amount) ? "exact" : "partial") : null,
          order_id: refund?.order_id ?? null,
          suggested_order_ids: refund ? [refund.order_id] : [],
          excess_amount: null,
          refund_request_id: refund?.id ?? null,
          review_reason: !refund
            ? "Outgoing payment that is not a refund payout"
            : payable
              ? null
              : refund.status === "awaiting_payout"
                ? "The amount differs from the refund awaiting payout"
                : `The refund is ${refund.status}, not awaiting payout`,
        }
      }
      const returned = refundIdOfEndToEndId(line.end_to_end_id)
      const returnedRefund = returned ? refundById.get(returned) : undefined
      if (returnedRefund) {
        // A payout the bank sent back is not a new payment: a person reopens the refund for payout.
        return {
          ...base,
          status: "review",
          match_type: "end_to_end_id",
          amount_match: MathBN.eq(returnedRefund.amount as never, line.amount) ? "exact" : "partial",
          order_id: returnedRefund.order_id,
          suggested_order_ids: [returnedRefund.order_id],
          excess_amount: null,
          refund_request_id: returnedRefund.id,
          review_reason: RETURNED_PAYOUT_REASON,
        }
      }
      const owingThis = owing.get(`${line.currency_code}:${MathBN.convert(line.amount).toString()}`) ?? []
      const decision = matchCredit(line, candidates, owingThis)
      if (decision.status === "matched" && decision.order_id) {
        // A second line for the same order in this file meets what is left.
        const candidate = byOrderId.get(decision.order_id)
        if (candidate) {
          candidate.outstanding = MathBN.sub(candidate.outstanding, line.amount).toString()
        }
      }
      const recordNow = decision.status === "matched" && autoRecord
      return {
        ...base,
        status: recordNow ? "matched" : "review",
        match_type: decision.match_type,
        amount_match: decision.amount_match,
        order_id: decision.order_id,
        suggested_order_ids: decision.suggested_order_ids,
        excess_amount: decision.excess_amount,
        refund_request_id: null,
        review_reason: decision.review_reason ?? (recordNow ? null : "Automatic recording is off: confirm to record"),
      }
    }
    // In file order: a line matched earlier lowers what its order still owes for the lines after it.
    const rows: BankTransactionInsert[] = []
    for (const [index, line] of input.lines.entries()) {
      if (index && index % SLICE === 0) {
        await yieldToLoop()
      }
      rows.push(decide(line, keys[index]))
    }
    return new StepResponse(rows)
  }
)
