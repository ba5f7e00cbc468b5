import type { SkippedEntryReport } from "../../types/bank-statements"
import type { OrderPaymentSummary as ServerOrderPaymentSummary, ReversedCredit } from "../../utils/orders/order-payment-summary"
import type { ReceiptMethod as ServerReceiptMethod } from "../../utils/orders/receipt-methods"
import type { PayoutExportsView } from "../../utils/refunds/payout-exports-view"
import type { RefundPayee } from "../../utils/refunds/refund-list-view"
import type { BankPayer } from "../../utils/refunds/sepa-payouts"
import type { SystemNoteView } from "./labels"

/** One entry of the audit trail. */
export type AuditEntry = {
  id: string
  order_id: string
  payment_id: string | null
  action: string
  /** `payment_desk` for the plugin's own actions, `medusa` for Medusa's own capture, mark-as-paid and refund. */
  source: "payment_desk" | "medusa"
  actor_type: "user" | "customer" | "system"
  actor_id: string | null
  actor_email: string | null
  amount: number | null
  currency_code: string | null
  method: string | null
  reference: string | null
  received_at: string | null
  note: string | null
  payment_status_before: string | null
  payment_status_after: string | null
  order_payment_status_before: string | null
  order_payment_status_after: string | null
  created_at: string
  /** The actor's name, when the server knows it. */
  actor_name?: string | null
  order_display_id?: number | null
  /** What the entry holds besides (e.g. `refund_request_id` on a refund's steps). */
  metadata?: Record<string, unknown> | null
  /** The refund reason's label, on refund entries. */
  reason_label?: string | null
  /** The plugin's own note (absent from older servers). */
  system_note?: SystemNoteView | null
}

/** `GET /admin/payment-desk/orders/:id`, as the widgets read it (the server's own type). */
export type OrderPaymentSummary = Omit<ServerOrderPaymentSummary, "refunds"> & {
  /** The EPC QR code (GiroCode) as an SVG document, when the order can be paid by one. */
  qr_svg: string | null
  /** What the caller may do; a missing flag means allowed (older servers). */
  can?: { record_payment?: boolean; refund?: boolean; close_order?: boolean }
  audit: AuditEntry[]
  refunds: RefundRequest[]
  closure: OrderClosure | null
  /** Credits the bank reversed on the order, waiting in review (absent from older servers). */
  reversed_credits?: ReversedCredit[]
  /** Who paid the order by bank transfer (its recorded statement line): the default payee of its manual refunds. */
  payer?: BankPayer | null
}

/** How an order was closed. */
export type OrderClosure = {
  id: string
  order_id: string
  actor_type: "user" | "customer" | "system"
  actor_id: string | null
  reason: string
  note: string | null
  refunded_amount: number
  currency_code: string
  source: string
  closed_at: string
  /** Who closed it, named as the lists name people (absent from older servers). */
  actor?: Actor | null
  reason_label?: string | null
  system_note?: SystemNoteView | null
}

export type ReceiptMethod = ServerReceiptMethod

export type RecordPaymentBody = {
  amount: number
  method: string
  reference?: string
  received_at?: string
  note?: string
}

/** A refund ledger row. */
export type RefundRequest = {
  id: string
  order_id: string
  payment_id: string
  provider_id: string
  amount: number
  currency_code: string
  status: "pending" | "succeeded" | "failed" | "requires_action" | "awaiting_payout" | "canceled"
  idempotency_key: string
  provider_refund_id: string | null
  medusa_refund_id: string | null
  note: string | null
  attempts: number
  last_error: string | null
  payout_reference: string | null
  requested_at: string
  settled_at: string | null
  created_at: string
  refund_reason_id?: string | null
  order_display_id?: number | null
  customer?: Person | null
  provider_name?: string | null
  reason_label?: string | null
  /** The plugin's own note, e.g. "Order closed: …" (absent from older servers). */
  system_note?: SystemNoteView | null
  requested_by?: Actor | null
  /** Manual refunds: who the payout goes to (null: nobody known yet). */
  payee?: RefundPayee | null
  /** Awaiting payout with nobody to pay: someone must add the payee. */
  needs_payee?: boolean
  /** The SEPA export holding the refund: its payee can no longer change. */
  payout_export_id?: string | null
}

export type { RefundPayee }

/** A customer as the lists carry them. */
export type Person = { id: string | null; email: string | null; name: string | null }

/** Who did something. */
export type Actor = { type: "user" | "customer" | "system" | string; id: string | null; name: string | null }

/** A list answer's paging. */
export type Page = { count: number; limit: number; offset: number }

/** `GET /admin/payment-desk/awaiting-payment` row. */
export type AwaitingPaymentOrder = {
  order_id: string
  display_id: number | null
  customer: Person | null
  method: string | null
  method_name: string | null
  amount_due: number
  total: number
  currency_code: string
  pay_by: string | null
  overdue: boolean
  reference: string | null
  placed_at: string | null
}

/** `GET /admin/payment-desk/closures` row. */
export type ClosureRow = {
  id: string
  order_id: string
  order_display_id: number | null
  customer: Person | null
  actor: Actor | null
  reason: string
  reason_label: string | null
  note: string | null
  system_note?: SystemNoteView | null
  refunded_amount: number
  currency_code: string
  payment_method: string | null
  method_name: string | null
  created_at: string
}

/** One day of `GET /admin/payment-desk/counters?days=` `series`. */
export type CounterDay = {
  day: string
  by_reason?: Record<string, number>
  by_actor?: Record<string, number>
  by_method?: Record<string, number>
  payment_timeouts?: number
  refund_failures?: number
}

/** `GET /admin/payment-desk/counters?days=` */
export type CountersOverview = {
  series?: CounterDay[]
  top_customers?: { customer_id: string; email: string | null; name: string | null; closes: number }[]
}

/** `GET /admin/payment-desk/cancellation-requests` row. */
export type CancellationRequest = {
  id: string
  order_id: string
  order_display_id?: number | null
  customer_id: string | null
  customer?: Person | null
  reason: string | null
  reason_label?: string | null
  note: string | null
  status: string
  created_at: string
}

/** `GET /admin/payment-desk/settings` */
export type DeskSettings = {
  methods: {
    id: string
    display_name: string
    instructions: string | null
    /** The instructions as the customer of an example order reads them (absent from older servers). */
    instructions_example?: string | null
    payment_window_hours: number | null
    currencies: string[]
    reference_format: string | null
    is_enabled?: boolean
    accounts: { currency: string; account_holder: string; iban_masked: string; bic: string | null; bank_name: string | null }[]
  }[]
  stripe: {
    configured?: boolean
    api_key_set: boolean
    test_mode?: boolean | null
    api_host?: string | null
    webhook_secret_set: boolean
    last_webhook_received_at: string | null
    refunds_pending_reconciliation: number
  } | null
  jobs: {
    name: string
    description?: string
    enabled?: boolean
    /** A cron expression, or an interval in milliseconds. */
    schedule: string | { interval: number }
    last_run: { started_at: string; finished_at: string | null; report: unknown } | null
  }[]
}

/** A bank statement import and what it did (`GET /admin/payment-desk/bank-statements`). */
export type BankStatement = {
  id: string
  file_name: string
  format: string
  lines: number
  credits: number
  debits: number
  recorded: number
  review: number
  ignored: number
  duplicates: number
  payouts_recorded: number
  /** Lines the workers are still booking (an import over `bank_statements.inline_booking_limit`); 0 once done. */
  booking: number
  /** Where the booking stands: lines handed to the workers, booked, still to book. */
  booking_progress: { to_book: number; booked: number; remaining: number; done: boolean; message: string | null }
  /** The file's entries: the lines stored (recorded, review, ignored, payouts, being booked) plus `skipped`. */
  entries: number
  /** Every entry stored as no line, with why. */
  skipped: SkippedBankEntry[]
  /** Rows the file marked pending (the CSV profile's `pending_values`), skipped. */
  pending: number
  /** Rows without a date at the end of a CSV file (balances, totals), skipped: `{ line, text }`. */
  summary_rows: { line: number; text: string }[]
  imported_by: { type: string | null; id: string | null; email: string | null; name?: string | null }
  created_at: string
}

/** An entry of an imported file that was stored as no line, and why (the server's own type). */
export type SkippedBankEntry = SkippedEntryReport

/** An order as a statement line names it. */
export type BankLineOrder = { id: string; display_id: number | null; email: string | null }

/** A bank statement line (`GET /admin/payment-desk/bank-transactions`). */
export type BankTransaction = {
  id: string
  file_name: string | null
  line: number
  direction: "credit" | "debit"
  amount: number
  currency_code: string
  booking_date: string
  remittance: string | null
  structured_reference: string | null
  counterparty_name: string | null
  counterparty_iban: string | null
  /** The bank took a payment back (a reversed credit is booked as a refund of the order's receipt). */
  reversal: boolean
  refund_request_id: string | null
  status: "matched" | "recorded" | "review" | "ignored"
  match_type: string
  amount_match: "exact" | "partial" | "over" | "currency_mismatch" | "nothing_due" | null
  order: BankLineOrder | null
  suggestions: BankLineOrder[]
  excess_amount: number | null
  review_reason: string | null
  decided_by: { id: string | null; email: string | null; name?: string | null } | null
  decided_at: string | null
  decision_note: string | null
}

/** `GET /admin/payment-desk/payouts/sepa/exports`: the server's own type. */
export type PayoutExports = PayoutExportsView
