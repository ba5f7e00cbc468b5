import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { BankStatementRow } from "../../modules/payment-desk/models/bank-statement"
import type { BankTransactionRow } from "../../modules/payment-desk/models/bank-transaction"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import type { SkippedEntryReport } from "../../types/bank-statements"
import { describePeople, personName } from "../../utils/people/describe-people"
import { bookingProgress } from "../../utils/bank-statements/booking-batches"

/** An order as a statement line names it: number and customer, never only its id. */
export type BankLineOrder = { id: string; display_id: number | null; email: string | null; currency_code: string | null }

/**
 * A statement import as the API answers it; `imported_by.name` is the admin's
 * name (else email) when `people` holds them (see `bankStatementViews`).
 */
export function bankStatementView(row: BankStatementRow, people?: Awaited<ReturnType<typeof describePeople>>) {
  return {
    id: row.id,
    file_name: row.file_name,
    format: row.format,
    statement_ids: (row.statement_ids as unknown as string[] | null) ?? [],
    accounts: (row.accounts as unknown as string[] | null) ?? [],
    lines: row.lines,
    credits: row.credits,
    debits: row.debits,
    recorded: row.recorded,
    review: row.review,
    ignored: row.ignored,
    duplicates: row.duplicates,
    entries: row.entries,
    skipped: (row.skipped as unknown as SkippedEntryReport[] | null) ?? [],
    payouts_recorded: row.payouts_recorded,
    // Lines the workers are still booking (an import over bank_statements.inline_booking_limit), in numbers and words.
    booking: row.booking ?? 0,
    booking_progress: bookingProgress(row),
    pending: row.pending,
    summary_rows: (row.summary_rows as unknown as { line: number; text: string }[] | null) ?? [],
    imported_by: {
      type: row.imported_by_type,
      id: row.imported_by_id,
      email: row.imported_by_email,
      name:
        (people && row.imported_by_type === "user" && row.imported_by_id
          ? personName(people.users.get(row.imported_by_id))
          : null) ?? row.imported_by_email,
    },
    created_at: row.created_at,
  }
}

/** Statement imports as the API answers them, who imported each named as everywhere (one query for the page). */
export async function bankStatementViews(container: MedusaContainer, rows: BankStatementRow[]) {
  const people = await describePeople(container, {
    users: rows.filter((row) => row.imported_by_type === "user").map((row) => row.imported_by_id),
  })
  return rows.map((row) => bankStatementView(row, people))
}

/**
 * Statement lines as the API answers them: the matched order and the
 * suggested ones with their numbers and customers' emails (one query for
 * the page), and the import's file name.
 */
export async function bankTransactionViews(
  container: MedusaContainer,
  rows: BankTransactionRow[],
  statements: Pick<BankStatementRow, "id" | "file_name">[]
) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const suggestionsOf = (row: BankTransactionRow) =>
    ((row.suggested_order_ids as unknown as { ids?: string[] } | null)?.ids ?? []) as string[]
  const ids = [...new Set(rows.flatMap((row) => [row.order_id, ...suggestionsOf(row)]).filter((id): id is string => !!id))]
  const { data } = ids.length
    ? await query.graph({ entity: "order", fields: ["id", "display_id", "email", "currency_code"], filters: { id: ids } })
    : { data: [] }
  const orders = new Map<string, BankLineOrder>(
    (data as BankLineOrder[]).map((order) => [order.id, { id: order.id, display_id: order.display_id ?? null, email: order.email ?? null, currency_code: order.currency_code ?? null }])
  )
  const files = new Map(statements.map((statement) => [statement.id, statement.file_name]))
  // Who decided a line, named as everywhere: the admin's name, else email.
  const people = await describePeople(container, { users: rows.map((row) => row.decided_by_id) })
  return rows.map((row) => ({
    id: row.id,
    bank_statement_id: row.bank_statement_id,
    file_name: files.get(row.bank_statement_id) ?? null,
    line: row.line,
    account: row.account,
    bank_transaction_id: row.bank_transaction_id,
    direction: row.direction,
    amount: Number(row.amount),
    currency_code: row.currency_code,
    booking_date: row.booking_date,
    value_date: row.value_date,
    remittance: row.remittance,
    structured_reference: row.structured_reference,
    end_to_end_id: row.end_to_end_id,
    counterparty_name: row.counterparty_name,
    counterparty_iban: row.counterparty_iban,
    reversal: row.reversal === true,
    status: row.status,
    match_type: row.match_type,
    amount_match: row.amount_match,
    order_id: row.order_id,
    order: row.order_id ? orders.get(row.order_id) ?? null : null,
    suggestions: suggestionsOf(row).map((id) => orders.get(id)).filter((order): order is BankLineOrder => !!order),
    excess_amount: row.excess_amount === null || row.excess_amount === undefined ? null : Number(row.excess_amount),
    refund_request_id: row.refund_request_id,
    audit_entry_id: row.audit_entry_id,
    review_reason: row.review_reason,
    decided_by:
      row.decided_by_id || row.decided_by_email
        ? {
            id: row.decided_by_id,
            email: row.decided_by_email,
            name: (row.decided_by_id ? personName(people.users.get(row.decided_by_id)) : null) ?? row.decided_by_email,
          }
        : null,
    decided_at: row.decided_at,
    decision_note: row.decision_note,
    created_at: row.created_at,
  }))
}

/** One statement line as the API answers it, with its import's file name (the answer of a route that decided the line). */
export async function bankTransactionView(container: MedusaContainer, row: BankTransactionRow) {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const statements = await desk.listBankStatements({ id: row.bank_statement_id }, { select: ["id", "file_name"] })
  const [view] = await bankTransactionViews(container, [row], statements)
  return view
}
