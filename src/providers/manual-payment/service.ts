import {
  AbstractPaymentProvider,
  MathBN,
  MedusaError,
  PaymentActions,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { randomUUID } from "crypto"
import {
  accountForCurrency,
  BankAccount,
  ManualPaymentMethodOptions,
  ReferenceFormat,
  ResolvedManualPaymentMethod,
  resolveManualPaymentMethod,
} from "./options"

/** Where a manual payment stands; kept in the payment's `data`. */
export type ManualPaymentState = "pending" | "authorized" | "captured" | "canceled"

/**
 * What the manual provider stores on a payment session and payment: the
 * method as configured when the customer chose it (so later option changes
 * do not move an order's deadline), and the money events the provider saw.
 */
export type ManualPaymentData = {
  id: string
  method: string
  display_name: string
  instructions: string
  payment_window_hours: number | null
  /** How the order's payment reference is formed (absent on payments made before the option existed: `rf`). */
  reference_format?: ReferenceFormat
  /** The account the customer pays into: the method's account for the payment's currency. */
  account?: BankAccount | null
  amount: string
  currency_code: string
  state: ManualPaymentState
  authorized_at: string | null
  /** Capture ids (Medusa passes each capture's id as the idempotency key). */
  capture_ids: string[]
  /** Refunds Medusa recorded; the money leaves by hand, so each awaits a payout. */
  refunds: { id: string; amount: string; recorded_at: string }[]
  canceled_at: string | null
}

/**
 * A payment method settled outside the store (bank transfer, cash on delivery,
 * cheque, ...). Authorizing only registers the customer's promise to pay; money
 * is captured when the merchant records that it arrived, and refunds are paid
 * out by hand.
 */
class ManualPaymentProviderService extends AbstractPaymentProvider<ManualPaymentMethodOptions> {
  static identifier = "manual"

  protected readonly method_: ResolvedManualPaymentMethod

  /** Rejects bad options at boot, naming the method and the field. */
  static validateOptions(options: Record<string, unknown>): void {
    resolveManualPaymentMethod(options)
  }

  constructor(cradle: Record<string, unknown>, options: ManualPaymentMethodOptions) {
    super(cradle, options)
    this.method_ = resolveManualPaymentMethod(options)
  }

  /** The resolved configuration of this method. */
  getMethod(): ResolvedManualPaymentMethod {
    return this.method_
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const currency = input.currency_code.toLowerCase()
    const accepted = this.method_.currencies
    if (accepted.length && !accepted.includes(currency)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `${this.method_.display_name} does not accept ${currency.toUpperCase()}; accepted: ${accepted
          .map((c) => c.toUpperCase())
          .join(", ")}`
      )
    }
    const id = `manual_${randomUUID()}`
    const data: ManualPaymentData = {
      id,
      method: this.method_.method,
      display_name: this.method_.display_name,
      instructions: this.method_.instructions,
      payment_window_hours: this.method_.payment_window_hours,
      reference_format: this.method_.reference_format,
      account: accountForCurrency(this.method_.accounts, currency),
      amount: MathBN.convert(input.amount).toString(),
      currency_code: currency,
      state: "pending",
      authorized_at: null,
      capture_ids: [],
      refunds: [],
      canceled_at: null,
    }
    return { id, data, status: PaymentSessionStatus.PENDING }
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = this.read(input.data)
    if (data.state !== "pending") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `A ${data.state} ${data.display_name} payment cannot be changed`
      )
    }
    const currency = input.currency_code.toLowerCase()
    return {
      data: {
        ...data,
        amount: MathBN.convert(input.amount).toString(),
        currency_code: currency,
        // A cart that changed currency pays into that currency's account.
        account:
          currency === data.currency_code ? data.account ?? null : accountForCurrency(this.method_.accounts, currency),
      },
      status: PaymentSessionStatus.PENDING,
    }
  }

  /** The customer chose to pay this way: the order is placed and waits for the money. */
  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const data = this.read(input.data)
    if (data.state === "canceled") {
      return { data, status: PaymentSessionStatus.CANCELED }
    }
    if (data.state !== "pending") {
      return { data, status: this.toSessionStatus(data.state) }
    }
    return {
      data: { ...data, state: "authorized", authorized_at: new Date().toISOString() },
      status: PaymentSessionStatus.AUTHORIZED,
    }
  }

  /**
   * Medusa records the captured amount itself (partial captures add up); the
   * provider remembers each capture id so a replay is recognised.
   */
  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const data = this.read(input.data)
    if (data.state === "canceled") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `A canceled ${data.display_name} payment cannot be captured`
      )
    }
    const key = input.context?.idempotency_key
    const captureIds =
      key && !data.capture_ids.includes(key) ? [...data.capture_ids, key] : data.capture_ids
    return { data: { ...data, state: "captured", capture_ids: captureIds } }
  }

  /**
   * No money moves here: a manual refund is paid out by the merchant. The
   * refund is remembered (once per refund id) until the payout is recorded.
   */
  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const data = this.read(input.data)
    const key = input.context?.idempotency_key ?? `refund_${randomUUID()}`
    if (data.refunds.some((refund) => refund.id === key)) {
      return { data }
    }
    const amount = MathBN.convert(input.amount)
    if (MathBN.lte(amount, 0)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A refund amount must be above 0")
    }
    return {
      data: {
        ...data,
        refunds: [
          ...data.refunds,
          { id: key, amount: amount.toString(), recorded_at: new Date().toISOString() },
        ],
      },
    }
  }

  /**
   * Cancels a payment that holds no money. One with a capture (a recorded
   * receipt) is refused: Medusa cancels a partly captured payment when an
   * order edit changes the total, and the money on it would drop out of the
   * order's books; the receipts must be refunded (or the order closed) first.
   */
  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const data = this.read(input.data)
    if (data.state === "canceled") {
      return { data }
    }
    if (data.state === "captured" || data.capture_ids.length > 0) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `This ${data.display_name} payment holds recorded receipts and cannot be canceled: refund them first, or close the order`
      )
    }
    return { data: { ...data, state: "canceled", canceled_at: new Date().toISOString() } }
  }

  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return this.cancelPayment(input)
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const data = this.read(input.data)
    return { data, status: this.toSessionStatus(data.state) }
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    return { data: this.read(input.data) }
  }

  /** Manual methods have no provider calling back. */
  async getWebhookActionAndData(
    _payload: ProviderWebhookPayload["payload"]
  ): Promise<WebhookActionResult> {
    return { action: PaymentActions.NOT_SUPPORTED }
  }

  protected toSessionStatus(state: ManualPaymentState): PaymentSessionStatus {
    switch (state) {
      case "authorized":
        return PaymentSessionStatus.AUTHORIZED
      case "captured":
        return PaymentSessionStatus.CAPTURED
      case "canceled":
        return PaymentSessionStatus.CANCELED
      default:
        return PaymentSessionStatus.PENDING
    }
  }

  /** The stored data, refusing data this provider did not write. */
  protected read(data: Record<string, unknown> | undefined): ManualPaymentData {
    if (!data || typeof data.method !== "string" || typeof data.state !== "string") {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The payment data is not a ${this.method_.display_name} payment`
      )
    }
    const stored = data as Partial<ManualPaymentData>
    return {
      ...(stored as ManualPaymentData),
      capture_ids: stored.capture_ids ?? [],
      refunds: stored.refunds ?? [],
    }
  }
}

export default ManualPaymentProviderService
