import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type { BankTransactionRow } from "../../modules/payment-desk/models/bank-transaction"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { storeBankAccounts } from "../../utils/bank-transfer/store-accounts"
import { runConcurrently } from "../../utils/jobs/run-concurrently"
import { recordPaymentWorkflow } from "../receipts/record-payment"
import type { Actor } from "../shared/steps/resolve-actor"
import { recordBankTransactionWorkflow } from "./record-bank-transaction"
import { bankReceiptInput, bankReceiptKey, exactBankReceiptPlan, findBankReceipt, isExactBankMatch } from "./utils/bank-receipt"

/** What to book: the lines, in file order, and who books them. */
export type BookBankTransactionsInput = {
  bank_transaction_ids: string[]
  actor: Actor
  /** The uploader holds the refund permission: payout debits are booked; otherwise they wait in review. */
  may_record_payouts?: boolean
  ip?: string | null
  user_agent?: string | null
}

/** What a booking did: the lines recorded, and those that were not, with why. */
export type BookBankTransactionsResult = { recorded: string[]; failed: { id: string; error: string }[] }

/** Orders booked at the same time; each still takes its own order's lock. */
const CONCURRENCY = 4
/** Lines read (and their earlier receipts looked up) per query. */
const PAGE = 200

/**
 * Books the given lines that are still `matched`, a few orders at a time,
 * each under its order's lock: what an upload does with its matched lines
 * (`recordBankTransactionsStep`) and what a worker does with a batch of them
 * (`bookBankLineBatch`). An exact match (the import's own, the common case)
 * goes straight through `recordPaymentWorkflow` with the line's receipt
 * input and `source_key` (one receipt per line, ever, checked under the
 * lock), then the line is marked `recorded` by compare-and-set; the lines
 * are read, and their earlier receipts looked up, a page at a time (a page
 * that cannot be read throws before any of its money moves). Any other
 * matched line (a payout debit, a line a person's interrupted confirmation
 * left matched) goes through `recordBankTransactionWorkflow`. A line that
 * cannot be booked (the order changed since it was matched, its lock is
 * busy, a payout without the refund permission) goes to review with the
 * reason; the others go on. Running it twice books nothing twice: a line
 * already booked is no longer `matched`, and one booked but not marked is
 * found by its receipt's key and only marked.
 */
export async function bookBankTransactions(container: MedusaContainer, input: BookBankTransactionsInput): Promise<BookBankTransactionsResult> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const accounts = storeBankAccounts(container)
  const recorded: string[] = []
  const failed: { id: string; error: string }[] = []

  const toReview = async (id: string, error: unknown) => {
    const message = (error as Error).message
    failed.push({ id, error: message })
    logger.warn(`medusa-payment-desk: bank transaction ${id} was not recorded: ${message}`)
    await desk.moveBankTransaction({
      id,
      from: ["matched", "review"],
      to: "review",
      patch: { review_reason: `Not recorded automatically: ${message}` },
    })
  }

  /** Books a line's receipt: the audit entry it was recorded under, or undefined when it went to review. */
  const receiptFor = async (line: BankTransactionRow): Promise<string | undefined> => {
    try {
      const plan = exactBankReceiptPlan(line, accounts)
      const { result } = await recordPaymentWorkflow(container).run({
        input: bankReceiptInput(line, plan, { actor: input.actor, ip: input.ip, user_agent: input.user_agent }),
      })
      return result.audit_entry.id as string
    } catch (error) {
      // Recorded meanwhile under the line's key (a person's confirmation, a
      // concurrent import or batch of the same line): the line only goes forward.
      const earlier = (await findBankReceipt(desk, line.order_id as string, line.id).catch(() => null)) ?? undefined
      if (!earlier) {
        await toReview(line.id, error)
      }
      return earlier
    }
  }

  const book = async (line: BankTransactionRow, earlierReceipt: string | undefined) => {
    if (!isExactBankMatch(line)) {
      try {
        // Claims, books and marks the line itself; a failure puts it back.
        await recordBankTransactionWorkflow(container).run({
          input: {
            bank_transaction_id: line.id,
            from: ["matched"],
            actor: input.actor,
            ip: input.ip,
            user_agent: input.user_agent,
            may_record_payouts: input.may_record_payouts === true,
          },
        })
        recorded.push(line.id)
      } catch (error) {
        await toReview(line.id, error)
      }
      return
    }
    const receipt = earlierReceipt ?? (await receiptFor(line))
    if (!receipt) {
      return
    }
    // The money is booked: from here the line only goes forward. If this
    // mark fails, the line stays `matched` with its receipt, and the scheduled
    // pickup (or the next import of a file holding it) marks it, its receipt
    // found by its key.
    try {
      await desk.moveBankTransaction({
        id: line.id,
        from: ["matched"],
        to: "recorded",
        patch: { review_reason: null, audit_entry_id: receipt },
      })
      recorded.push(line.id)
    } catch (error) {
      failed.push({ id: line.id, error: (error as Error).message })
      logger.warn(
        `medusa-payment-desk: bank transaction ${line.id} was recorded (audit entry ${receipt}) but not marked: ${(error as Error).message}; the scheduled pickup or the next import of its file marks it`
      )
    }
  }

  for (let start = 0; start < input.bank_transaction_ids.length; start += PAGE) {
    const { lines, receipts } = await readPage(desk, input.bank_transaction_ids.slice(start, start + PAGE))
    await runConcurrently(lines, CONCURRENCY, (line) => book(line, receipts.get(bankReceiptKey(line.id))))
  }
  return { recorded, failed }
}

/** A page of lines still `matched`, in the given order, and the receipts recorded under their keys already. */
async function readPage(desk: PaymentDeskModuleService, ids: string[]) {
  const [rows, entries] = await Promise.all([
    desk.listBankTransactions({ id: ids, status: "matched" }, { take: ids.length }),
    desk.listAuditEntries(
      { action: "payment_recorded", idempotency_key: ids.map(bankReceiptKey) },
      { select: ["id", "idempotency_key"], take: ids.length }
    ),
  ])
  const byId = new Map((rows as unknown as BankTransactionRow[]).map((row) => [row.id, row]))
  return {
    lines: ids.map((id) => byId.get(id)).filter((row): row is BankTransactionRow => !!row),
    receipts: new Map(entries.map((entry) => [entry.idempotency_key as string, entry.id as string])),
  }
}
