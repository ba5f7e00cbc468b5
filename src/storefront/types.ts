/**
 * What the plugin's store routes answer, as a storefront reads it. The routes
 * build these shapes and the typed client returns them, so both sides share
 * one definition. Amounts are in the currency's main unit (e.g. `12.5` euros),
 * as Medusa's own store routes give them; dates are ISO 8601 strings.
 */

/**
 * How a manual method is paid: `bank_transfer` when the method has a bank
 * account (the customer gets a reference, the account and, for euros, an EPC
 * QR code); `manual` for the others (cash on delivery, cheque, ...), which
 * have instructions only.
 */
export type StorePaymentMethodKind = "bank_transfer" | "manual"

/** One of the plugin's manual payment methods, as offered in a region. */
export type StorePaymentDeskMethod = {
  /** Medusa's payment provider id, e.g. `pp_manual_bank-transfer`: the id a payment session is created with. */
  provider_id: string
  /** The method's id from the plugin options, e.g. `bank-transfer`. */
  method: string
  /** The name the merchant gave it, e.g. "Bank transfer". */
  display_name: string
  kind: StorePaymentMethodKind
  /** Hours the customer has to pay after placing the order; `null` for no deadline. */
  payment_window_hours: number | null
}

/** `GET /store/payment-desk/payment-methods?region_id=…` */
export type StorePaymentDeskMethodsResponse = { payment_methods: StorePaymentDeskMethod[] }

/**
 * Where an order's payment stands, in one word:
 * - `awaiting_payment`: nothing received yet;
 * - `partially_paid`: some received, `amount_due` still to pay;
 * - `paid`: nothing left to pay;
 * - `closed`: the order was closed or canceled (see `closure`).
 */
export type StoreOrderPaymentStatus = "awaiting_payment" | "partially_paid" | "paid" | "closed"

/** The bank account an order is paid into (the one of the order's currency). */
export type StorePaymentAccount = {
  account_holder: string
  /** Electronic form, no spaces. */
  iban: string
  bic: string | null
  bank_name: string | null
}

/** Why an order was closed, as the customer may read it. */
export type StoreCloseReason =
  | "customer_request"
  | "payment_timeout"
  | "out_of_stock"
  | "fraud_suspected"
  | "other"
  | (string & {})

/** A closure as the store API shows it: no actor, IP or internal notes. */
export type StoreOrderClosure = {
  id: string
  order_id: string
  reason: StoreCloseReason
  /** What the close refunded. */
  refunded_amount: number
  currency_code: string
  closed_at: string
}

/** A customer's request to cancel a paid order, and the store's answer. */
export type StoreCancellationRequest = {
  id: string
  order_id: string
  reason: StoreCloseReason
  note: string | null
  status: "open" | "approved" | "declined"
  /** The store's message with a decline. */
  answer_message: string | null
  answered_at: string | null
  created_at: string
}

/** A refund on the order, as the customer may follow it. */
export type StoreOrderRefund = {
  amount: number
  currency_code: string
  /**
   * `succeeded`: the money left; `awaiting_payout`: the store pays it by hand
   * (bank transfer, cash); `pending` / `requires_action`: under way.
   */
  status: "pending" | "requires_action" | "succeeded" | "awaiting_payout" | "failed"
  created_at: string | null
}

/**
 * `GET /store/payment-desk/orders/:id/instructions`: how the customer pays an
 * order placed with a manual method, and where its payment stands.
 */
export type StoreOrderPayment = {
  order_id: string
  display_id: number | null
  /** The method's id, e.g. `bank-transfer`. */
  method: string | null
  display_name: string
  kind: StorePaymentMethodKind
  /** The merchant's instructions with the order's figures filled in. */
  instructions: string | null
  currency_code: string
  /** Medusa's current order total (0 once Medusa canceled the order). */
  total: number
  /** Received so far (Medusa's captures). */
  paid_total: number
  /** Refunded so far (Medusa's refunds). */
  refunded_total: number
  amount_due: number
  status: StoreOrderPaymentStatus
  /** Pay-by date; `null` when the method has no payment window. */
  pay_by: string | null
  /** True when money is still due after `pay_by`. */
  overdue: boolean
  /** When the last payment arrived (set once `status` is `paid`). */
  paid_at: string | null
  /** The reference to quote with a bank transfer. */
  reference: string | null
  /** The account to pay into (bank transfer only). */
  account: StorePaymentAccount | null
  /** The EPC QR code (GiroCode) as SVG markup, for euro bank transfers. */
  qr_svg: string | null
  /** The text the QR code holds. */
  epc_payload: string | null
  closure: StoreOrderClosure | null
  /** The customer's latest cancellation request, if any. */
  cancellation_request: StoreCancellationRequest | null
  refunds: StoreOrderRefund[]
  /**
   * What the logged-in customer may do now, by the store's `store_close`
   * policy: `close` the order (unpaid, or paid under `immediate`) or
   * `request_cancellation` (paid, under `request`). Both false for a guest.
   */
  actions: { close: boolean; request_cancellation: boolean }
}

/** `POST /store/payment-desk/orders/:id/close` body. */
export type StoreCloseOrderBody = {
  /** The customer's own reasons only; default `customer_request`. */
  reason?: "customer_request" | "other"
  /** Up to 2,000 characters, no control characters. */
  note?: string | null
}

/** `POST /store/payment-desk/orders/:id/close`: the order was closed, or a cancellation was requested. */
export type StoreCloseOrderResponse =
  | { outcome: "closed"; order_closure: StoreOrderClosure }
  | { outcome: "requested"; cancellation_request: StoreCancellationRequest }
